/** Tab-separated source files: a header row, then rows; fields may be wrapped in double quotes. */

/**
 * The rows of a TSV file as records of the named columns. A missing column or a row with the wrong number
 * of fields is an error naming the file (and the line).
 */
export function readTsv<C extends string>(text: string, file: string, columns: readonly C[]): Record<C, string>[] {
  const lines = text.split(/\r?\n/).filter((line) => line.length > 0);
  if (lines.length === 0) throw new Error(`${file}: empty file`);
  const [head, ...body] = lines;
  const header = splitRow(head as string);
  const indexes = columns.map((name) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`${file}: no column "${name}" (columns: ${header.join(', ')})`);
    return i;
  });
  return body.map((line, i) => {
    const row = splitRow(line);
    // An empty last field may lose its tab (an HPO term without parents).
    if (row.length === header.length - 1) row.push('');
    if (row.length !== header.length) {
      throw new Error(`${file}: line ${i + 2} has ${row.length} fields, expected ${header.length} (${header.join(', ')})`);
    }
    return Object.fromEntries(columns.map((name, c) => [name, row[indexes[c] as number] as string])) as Record<C, string>;
  });
}

function splitRow(line: string): string[] {
  return line.split('\t').map(unquote);
}

function unquote(field: string): string {
  const f = field.trim();
  return f.length >= 2 && f.startsWith('"') && f.endsWith('"') ? f.slice(1, -1).replace(/""/g, '"') : f;
}
