/** Tab-separated source files: a header row, then rows; fields may be wrapped in double quotes. */

export interface TsvTable {
  header: string[];
  rows: string[][];
}

export function parseTsv(text: string, file: string): TsvTable {
  const lines = text.split(/\r?\n/).filter((line) => line.length > 0);
  if (lines.length === 0) throw new Error(`${file}: empty file`);
  const [head, ...body] = lines;
  const header = splitRow(head as string);
  const rows = body.map((line, i) => {
    const row = splitRow(line);
    // An empty last field may lose its tab (an HPO term without parents).
    if (row.length === header.length - 1) row.push('');
    if (row.length !== header.length) {
      throw new Error(`${file}: line ${i + 2} has ${row.length} fields, expected ${header.length} (${header.join(', ')})`);
    }
    return row;
  });
  return { header, rows };
}

/** The index of a named column, or an error naming the file and the columns it has. */
export function column(table: TsvTable, name: string, file: string): number {
  const i = table.header.indexOf(name);
  if (i < 0) throw new Error(`${file}: no column "${name}" (columns: ${table.header.join(', ')})`);
  return i;
}

function splitRow(line: string): string[] {
  return line.split('\t').map(unquote);
}

function unquote(field: string): string {
  const f = field.trim();
  return f.length >= 2 && f.startsWith('"') && f.endsWith('"') ? f.slice(1, -1).replace(/""/g, '"') : f;
}
