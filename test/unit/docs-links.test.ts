import fs from 'node:fs';
import path from 'node:path';
import GithubSlugger from 'github-slugger';
import { PROJECT_ROOT } from '../../config/project-root';

/** The user's manual: the README, the docs pages and the benchmark's README. */
const PAGES = [
  'README.md',
  'bench/README.md',
  ...fs
    .readdirSync(path.join(PROJECT_ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** Markdown outside fenced code blocks and inline code, where a link is a link. */
function prose(text: string): string {
  return text.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
}

/** The anchors GitHub gives a page's headings ("## Doctor policies" → "doctor-policies"). */
function anchors(file: string): Set<string> {
  const slugger = new GithubSlugger();
  const headings = prose(fs.readFileSync(file, 'utf8'))
    .split('\n')
    .filter((l) => /^#{1,6} /.test(l))
    .map((l) => l.replace(/^#{1,6} /, '').trim());
  return new Set(headings.map((h) => slugger.slug(h)));
}

/** Relative links of a page: [text](target) that are not web or mail addresses. */
function relativeLinks(text: string): string[] {
  return [...prose(text).matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1] as string).filter((t) => !/^(https?:|mailto:)/.test(t));
}

describe('the documentation', () => {
  it('links every docs page from the README, and keeps the README short', () => {
    const readme = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
    for (const page of PAGES.filter((p) => p !== 'README.md')) expect(readme).toContain(`](${page})`);
    expect(Buffer.byteLength(readme)).toBeLessThanOrEqual(12 * 1024);
  });

  it('has no broken relative link or anchor', () => {
    const broken: string[] = [];
    for (const page of PAGES) {
      const file = path.join(PROJECT_ROOT, page);
      for (const link of relativeLinks(fs.readFileSync(file, 'utf8'))) {
        const [target = '', anchor] = link.split('#');
        const resolved = target ? path.resolve(path.dirname(file), target) : file;
        if (!fs.existsSync(resolved)) {
          broken.push(`${page}: ${link} (no such file)`);
          continue;
        }
        if (anchor && resolved.endsWith('.md') && !anchors(resolved).has(anchor))
          broken.push(`${page}: ${link} (no such heading)`);
      }
    }
    expect(broken).toEqual([]);
  });
});
