/**
 * Parses the markdown outline of a case summary ("- **Title:** text" bullets, nested bullets) into
 * sections. Summaries come in several shapes: bulleted or bold-line headers, bold or plain titles,
 * nested or inline test results, and reports of several patients ("#### Case 1:", "#### Case 2:").
 */

export interface OutlineNode {
  /** "Patient Information", "CT Scan"; undefined for a bullet without a "Title:" prefix. */
  title?: string;
  /** The text after the title (or the whole bullet), continuation lines included. */
  text: string;
  children: OutlineNode[];
}

interface Line {
  indent: number;
  bullet: boolean;
  content: string;
}

const CASE_HEADING = /^#{1,6}\s*(?:\*\*)?\s*(?:case|patient)\s*(\d+)\b/i;

/** Splits a summary into the outlines of the patients it describes (usually one). */
export function parseOutlines(markdown: string): OutlineNode[][] {
  const chunks: string[][] = [[]];
  for (const raw of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    if (CASE_HEADING.test(raw.trim())) {
      if ((chunks[chunks.length - 1] as string[]).some((l) => l.trim() !== '')) chunks.push([]);
      continue;
    }
    (chunks[chunks.length - 1] as string[]).push(raw);
  }
  return chunks.map(parseSections).filter((sections) => sections.length > 0);
}

/** "**Title:** rest", "**Title**: rest" or "Title: rest" (a short title, no sentence inside). */
export function parseHeader(content: string): { title: string; rest: string } | undefined {
  const bold = /^\*\*(.+?)\*\*\s*:?\s*(.*)$/.exec(content);
  if (bold) {
    const title = (bold[1] as string).trim().replace(/:$/, '').trim();
    const rest = (bold[2] as string).trim();
    // "**Bold phrase** without a colon" is emphasis, not a header, unless nothing follows it.
    if (!/:\s*$/.test(bold[1] as string) && !/^\*\*.+?\*\*\s*:/.test(content) && rest !== '') return undefined;
    return title ? { title, rest } : undefined;
  }
  const italic = /^[*_]([^*_]+?):?[*_]\s*:?\s*(.*)$/.exec(content);
  if (italic && /:/.test(content.slice(0, (italic[1] as string).length + 3))) {
    return { title: (italic[1] as string).trim().replace(/:$/, ''), rest: (italic[2] as string).trim() };
  }
  const plain = /^([A-Za-z][^:.;]{0,60}?)\s*:\s*(.*)$/.exec(content);
  if (plain && (plain[1] as string).split(/\s+/).length <= 8)
    return { title: (plain[1] as string).trim(), rest: (plain[2] as string).trim() };
  return undefined;
}

function toLines(raw: string[]): Line[] {
  const lines: Line[] = [];
  for (const r of raw) {
    const expanded = r.replace(/\t/g, '    ');
    const trimmed = expanded.trim();
    if (trimmed === '' || /^(-{3,}|\*{3,}|_{3,})$/.test(trimmed) || /^#{1,6}\s/.test(trimmed)) continue;
    const indent = expanded.length - expanded.trimStart().length;
    const bullet = /^([-*+]|\d+[.)])\s+/.exec(trimmed);
    lines.push({ indent, bullet: bullet !== null, content: bullet ? trimmed.slice(bullet[0].length).trim() : trimmed });
  }
  return lines;
}

function parseSections(raw: string[]): OutlineNode[] {
  const lines = toLines(raw);
  const first = lines.find((l) => parseHeader(l.content) !== undefined);
  if (!first) return [];
  const isSection = (l: Line) => l.indent <= first.indent && l.bullet === first.bullet && parseHeader(l.content) !== undefined;

  const sections: OutlineNode[] = [];
  // Stack of open nodes with the indentation they were opened at (children nest by indentation).
  let stack: Array<{ node: OutlineNode; indent: number }> = [];
  for (const line of lines) {
    if (isSection(line)) {
      const header = parseHeader(line.content) as { title: string; rest: string };
      const node: OutlineNode = { title: header.title, text: header.rest, children: [] };
      sections.push(node);
      stack = [{ node, indent: -1 }];
      continue;
    }
    if (stack.length === 0) continue; // text before the first section
    if (!line.bullet) {
      const top = (stack[stack.length - 1] as { node: OutlineNode }).node;
      top.text = top.text ? `${top.text} ${line.content}` : line.content;
      continue;
    }
    while (stack.length > 1 && (stack[stack.length - 1] as { indent: number }).indent >= line.indent) stack.pop();
    const header = parseHeader(line.content);
    const node: OutlineNode = header
      ? { title: header.title, text: header.rest, children: [] }
      : { text: line.content, children: [] };
    (stack[stack.length - 1] as { node: OutlineNode }).node.children.push(node);
    stack.push({ node, indent: line.indent });
  }
  return sections;
}

/** A node's text with its children's, as one paragraph ("Title: text" for titled children). */
export function flattenText(node: OutlineNode): string {
  const parts = [node.text, ...node.children.map((c) => (c.title ? `${c.title}: ${flattenText(c)}` : flattenText(c)))];
  return parts
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => (/[.!?]$/.test(p) ? p : `${p}.`))
    .join(' ');
}
