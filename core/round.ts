/** Rounds to a number of decimal places, for figures in reports and JSON output. */
export function roundTo(x: number, places: number): number {
  const scale = 10 ** places;
  return Math.round(x * scale) / scale;
}
