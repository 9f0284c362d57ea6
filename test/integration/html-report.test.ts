import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Driver } from 'neo4j-driver';
import { PNG } from 'pngjs';
import { createNeo4jDriver } from '../../clients/neo4j';
import { findChromium, headlessArgs } from '../../services/chromium';
import { loadKg } from '../../stores/neo4j-kg/loader';
import { runCli } from '../support/cli';
import { SCRIPT_BRANCHING, SCRIPT_MAX_TURNS, scriptedDoctor } from '../support/scripted-doctor';
import { startScriptedLlmServer, type ScriptedLlmServer } from '../support/scripted-llm-server';
import { testConfig } from '../support/test-env';
import { writeTinyCases } from '../support/tiny-cases';
import { tinyKg } from '../support/tiny-kg';

jest.setTimeout(600_000);

const config = testConfig();
let driver: Driver;
let server: ScriptedLlmServer;
let work: string;

/** The bar colour of the report's histograms (core/report/charts.ts), as Chromium paints it. */
const BAR = [0x3b, 0x6e, 0xa5];

beforeAll(async () => {
  driver = createNeo4jDriver(config);
  await loadKg(driver, config.neo4j.database, tinyKg(), { replace: true });
  server = await startScriptedLlmServer(scriptedDoctor(0, 1000).script);
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'medaction-html-report-'));
});

afterAll(async () => {
  await server?.close();
  await driver?.close();
});

/** Runs headless Chromium on a file: its DOM after loading, or a screenshot. */
function chromium(args: string[], url: string): { stdout: string; status: number | null; stderr: string } {
  const binary = findChromium();
  if (!binary) throw new Error('no Chromium: the integration setup installs it (services/chromium.ts)');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'medaction-chromium-'));
  try {
    const run = spawnSync(binary, [...headlessArgs(profile), ...args, url], {
      encoding: 'utf8',
      timeout: 120_000,
      maxBuffer: 64 << 20,
    });
    return { stdout: run.stdout, status: run.status, stderr: run.stderr };
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

describe('the HTML report of a build', () => {
  it('renders in headless Chromium with its charts and the trajectory view', async () => {
    const out = path.join(work, 'build');
    const result = await runCli(
      ['build', '--cases', writeTinyCases(work), '--out', out, '--build-id', 'test-html', '--json'],
      {
        MEDACTION_POLICY: 'openai',
        MEDACTION_LLM_BASE_URL: server.url,
        MEDACTION_LLM_API_KEY: 'sk-test-html',
        MEDACTION_LLM_MODEL: 'scripted-doctor',
        MEDACTION_LLM_TIMEOUT_MS: '800',
        MEDACTION_BRANCHING: String(SCRIPT_BRANCHING),
        MEDACTION_MAX_TURNS: String(SCRIPT_MAX_TURNS),
        MEDACTION_MIN_GROUNDED: '0',
      },
      300_000,
    );
    expect(result.code).toBe(0);
    const file = path.join(out, 'report.html');
    const url = `file://${file}`;

    // The DOM as Chromium built it: every chart is an SVG with marks, and the conversation is there.
    const dom = chromium(['--dump-dom'], url);
    expect(dom.status).toBe(0);
    for (const id of ['funnel', 'dtc', 'rac', 'grounded', 'per-case', 'tree-size', 'tree-depth', 'test-cost']) {
      expect(dom.stdout).toMatch(new RegExp(`<figure class="chart" id="chart-${id}"><svg[^>]*class="marks"`));
    }
    expect(dom.stdout).not.toContain('chart not rendered');
    const trajectory = dom.stdout.slice(dom.stdout.indexOf('<section class="trajectory"'));
    expect(trajectory).toContain('A kept trajectory: test-html/');
    expect((trajectory.match(/class="msg assistant"/g) ?? []).length).toBeGreaterThanOrEqual(2);
    expect(trajectory).toContain('class="metrics"');
    expect(trajectory).toMatch(/final diagnosis: <b>[^<]+<\/b>/);
    // The failed branch of the scripted build is listed.
    expect(dom.stdout).toContain('1 failed branches');

    // A screenshot: Chromium paints the charts' bars (their colour covers a visible area) and text.
    const png = path.join(work, 'report.png');
    const shot = chromium([`--screenshot=${png}`, '--window-size=1280,2600'], url);
    expect(shot.status).toBe(0);
    const image = PNG.sync.read(fs.readFileSync(png));
    expect([image.width, image.height]).toEqual([1280, 2600]);
    let bar = 0;
    let ink = 0;
    for (let i = 0; i < image.data.length; i += 4) {
      const [r, g, b] = [image.data[i] as number, image.data[i + 1] as number, image.data[i + 2] as number];
      if (Math.abs(r - (BAR[0] as number)) < 8 && Math.abs(g - (BAR[1] as number)) < 8 && Math.abs(b - (BAR[2] as number)) < 8)
        bar++;
      if (r < 100 && g < 100 && b < 100) ink++;
    }
    expect(bar).toBeGreaterThan(2000);
    expect(ink).toBeGreaterThan(5000);
  });
});
