/** Output conventions: results on stdout (one JSON object with --json), progress and errors on stderr. */

export function emit<T>(json: boolean, result: T, human: (result: T) => string): void {
  process.stdout.write(json ? `${JSON.stringify(result)}\n` : `${human(result)}\n`);
}

export function progressLine(line: string): void {
  process.stderr.write(`${line}\n`);
}
