import type { Histogram } from '../dataset/report';

/**
 * Vega-Lite specifications of the report's charts (rendered to static SVG by stores/chart-renderer.mjs).
 * Pure data in, JSON out: the HTML report embeds the SVG, so it needs no script and no server.
 */
export type ChartSpec = Record<string, unknown>;

const BASE = {
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  width: 360,
  height: 180,
  config: { font: 'Helvetica, Arial, sans-serif', view: { stroke: null }, axis: { labelFontSize: 11, titleFontSize: 12 } },
};

const COLOUR = '#3b6ea5';

/** Bin labels: "0.1–0.2" for shares, "4–5" for counts, the last bin open ("≥ 50"). */
export function binLabels(h: Histogram): string[] {
  return h.bins.map((lo, i) => {
    const hi = h.bins[i + 1];
    if (hi === undefined) return `≥ ${lo}`;
    return Number.isInteger(lo) && Number.isInteger(hi) && hi === lo + 1 ? String(lo) : `${lo}–${hi}`;
  });
}

/** A histogram as a bar chart; `title` names what is counted. */
export function histogramChart(title: string, h: Histogram, unit: string): ChartSpec {
  const labels = binLabels(h);
  return {
    ...BASE,
    title: {
      text: title,
      // A metric that abstained (null) on some records says so rather than hiding them.
      subtitle: `${h.mean === null ? 'no values' : `mean ${h.mean}`}${h.abstained ? `; ${h.abstained} abstained (null)` : ''}`,
    },
    data: { values: labels.map((label, i) => ({ bin: label, count: h.counts[i] ?? 0 })) },
    mark: { type: 'bar', color: COLOUR, tooltip: true },
    encoding: {
      x: { field: 'bin', type: 'ordinal', sort: labels, title: unit, axis: { labelAngle: labels.length > 7 ? -40 : 0 } },
      y: { field: 'count', type: 'quantitative', title: 'count' },
    },
  };
}

/** Horizontal bars in the given order (a funnel, a breakdown of counts). */
export function barsChart(title: string, bars: { label: string; value: number; group?: string }[], unit: string): ChartSpec {
  return {
    ...BASE,
    height: Math.max(60, bars.length * 22),
    title,
    data: { values: bars.map((b) => ({ ...b, group: b.group ?? '' })) },
    layer: [
      {
        mark: { type: 'bar', tooltip: true },
        encoding: {
          y: { field: 'label', type: 'nominal', sort: bars.map((b) => b.label), title: null, axis: { labelLimit: 320 } },
          x: { field: 'value', type: 'quantitative', title: unit },
          color: { field: 'group', type: 'nominal', legend: null, scale: { scheme: 'tableau10' } },
        },
      },
      {
        mark: { type: 'text', align: 'left', dx: 3 },
        encoding: {
          y: { field: 'label', type: 'nominal', sort: bars.map((b) => b.label) },
          x: { field: 'value', type: 'quantitative' },
          text: { field: 'value', type: 'quantitative' },
        },
      },
    ],
  };
}

/** Proportions with their 95 % intervals (accuracy per group): a point and a rule per row. */
export function intervalChart(
  title: string,
  rows: { label: string; value: number; lo: number; hi: number; n: number }[],
  unit: string,
): ChartSpec {
  const order = rows.map((r) => r.label);
  return {
    ...BASE,
    height: Math.max(40, rows.length * 20),
    title,
    data: { values: rows.map((r) => ({ ...r, label: `${r.label} (n=${r.n})` })) },
    encoding: {
      y: {
        field: 'label',
        type: 'nominal',
        sort: order.map((l, i) => `${l} (n=${rows[i]?.n})`),
        title: null,
        axis: { labelLimit: 240 },
      },
    },
    layer: [
      {
        mark: { type: 'rule', color: '#888' },
        encoding: { x: { field: 'lo', type: 'quantitative', scale: { domain: [0, 1] }, title: unit }, x2: { field: 'hi' } },
      },
      {
        mark: { type: 'point', filled: true, color: COLOUR, size: 50, tooltip: true },
        encoding: { x: { field: 'value', type: 'quantitative' } },
      },
    ],
  };
}
