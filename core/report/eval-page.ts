import { COST_BINS, histogram, SHARE_BINS } from '../dataset/report';
import type { EpisodeRecord } from '../eval/episode';
import type { EvalReport } from '../eval/summary';
import { histogramChart, intervalChart } from './charts';
import { ChartSet, esc, num, page, table, tiles, trajectoryView } from './html';

/** Metadata groups shown per breakdown in the charts (the table under each has them all). */
const CHART_GROUPS = 15;

/**
 * The HTML report of an evaluation: accuracy with its interval, the means, accuracy by case metadata,
 * distributions, the per-case table, and one episode as a conversation with its per-turn metrics.
 */
export function evalReportPage(report: EvalReport, records: EpisodeRecord[]): { charts: ChartSet; html: string } {
  const charts = new ChartSet();
  // Charts are numbered in the order they are added: the breakdowns first, then the distributions.
  const breakdowns = breakdownSections(report, charts);
  const distributions = distributionCharts(report, records, charts);
  const sample = sampleEpisode(records);
  const body = [
    summaryTiles(report),
    summaryParagraph(report),
    '<h2 id="accuracy">Accuracy by case metadata</h2>',
    breakdowns,
    '<h2 id="distributions">Distributions</h2>',
    distributions,
    '<h2 id="cases">Cases</h2>',
    casesTable(records),
    failedCasesTable(report),
    sample ? episodeView(sample) : '',
  ].join('\n');
  const subtitle = `${report.policy}${report.model ? ` (${report.model})` : ''}, one greedy episode per case, at most ${report.max_turns} turns, judge ${report.judge}`;
  return { charts, html: page(`MedAction evaluation ${report.eval_id}`, subtitle, body) };
}

function summaryTiles(report: EvalReport): string {
  const [lo, hi] = report.accuracy_ci95;
  return tiles([
    ['cases', num(report.cases)],
    ['accuracy', num(report.accuracy)],
    ['95% CI', `${num(lo)}–${num(hi)}`],
    ['test precision', num(report.test_precision)],
    ['test recall', num(report.test_recall)],
    ['mean turns', num(report.mean_turns, 2)],
    ['mean test cost', `$${num(report.mean_cost, 0)}`],
    ['DTC / RAC', `${num(report.dtc)} / ${num(report.rac)}`],
    ['judge', report.judge],
  ]);
}

function summaryParagraph(report: EvalReport): string {
  return `<p>Correct: ${num(report.correct)} of ${num(report.cases)}; episodes without a final diagnosis: ${num(report.episodes_failed)}; cases that could not run: ${num(report.cases_failed.length)} (counted as wrong). Judged by: ${esc(
    Object.entries(report.judged_by)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ') || '–',
  )}. Orders: ${num(report.mean_orders, 2)} per case, ${num(report.unavailable_share)} of them UNAVAILABLE. Grounded ordering ${num(report.grounded_ordering)}. ${num(report.llm_calls)} LLM calls, ${num(report.tokens)} tokens${report.llm_cost_usd == null ? '' : ` ($${report.llm_cost_usd.toFixed(2)})`}. Test costs: ${esc(report.test_costs_version)} (docs/test-costs.md).</p>`;
}

/** Accuracy by each kind of case metadata: a chart of the first groups, and a table of all. */
function breakdownSections(report: EvalReport, charts: ChartSet): string {
  return report.breakdowns
    .filter((b) => b.groups.length > 0)
    .map(
      (b) =>
        `<h3>${esc(b.by.replace(/_/g, ' '))}</h3><div class="charts">${charts.add(
          `by-${b.by.replace(/_/g, '-')}`,
          intervalChart(
            `Accuracy by ${b.by.replace(/_/g, ' ')} (95% CI)`,
            b.groups
              .slice(0, CHART_GROUPS)
              .map((g) => ({ label: g.value, value: g.accuracy, lo: g.accuracy_ci95[0], hi: g.accuracy_ci95[1], n: g.cases })),
            'accuracy',
          ),
        )}</div><details><summary>${b.groups.length} groups</summary>${table(
          ['group', 'cases', 'correct', 'accuracy', '95% CI', 'mean turns', 'mean cost (USD)'],
          b.groups.map((g) => [
            g.value,
            g.cases,
            g.correct,
            g.accuracy,
            `${num(g.accuracy_ci95[0])}–${num(g.accuracy_ci95[1])}`,
            g.mean_turns,
            g.mean_cost,
          ]),
        )}</details>`,
    )
    .join('\n');
}

/** Histograms of turns, test cost, test recall, DTC and RAC over the episodes. */
function distributionCharts(report: EvalReport, records: EpisodeRecord[], charts: ChartSet): string {
  const turnBins = Array.from({ length: report.max_turns + 1 }, (_, i) => i);
  const histograms: [string, string, (r: EpisodeRecord) => number | null, number[], string][] = [
    ['turns', 'Turns used', (r) => r.turns_used, turnBins, 'turns'],
    ['cost', 'Test cost per case', (r) => r.test_cost, COST_BINS, 'USD'],
    ['recall', 'Test recall', (r) => r.test_recall, SHARE_BINS, 'menu items revealed / menu items'],
    ['dtc', 'DTC', (r) => r.dtc, SHARE_BINS, 'DTC'],
    ['rac', 'RAC', (r) => r.rac, SHARE_BINS, 'RAC'],
  ];
  return `<div class="charts">${histograms
    .map(([id, title, value, bins, axis]) => charts.add(id, histogramChart(title, histogram(records.map(value), bins), axis)))
    .join('')}</div>`;
}

function casesTable(records: EpisodeRecord[]): string {
  return table(
    [
      'case',
      'gold',
      'final diagnosis',
      'correct',
      'turns',
      'orders',
      'answered',
      'precision',
      'recall',
      'cost (USD)',
      'DTC',
      'RAC',
    ],
    records.map((r) => [
      r.case_id,
      r.gold_diagnosis,
      r.final_diagnosis ?? `(${r.error ?? 'none'})`,
      r.correct ? 'yes' : 'no',
      r.turns_used,
      r.orders,
      r.answered,
      r.test_precision,
      r.test_recall,
      r.test_cost,
      r.dtc,
      r.rac,
    ]),
    'wide',
  );
}

function failedCasesTable(report: EvalReport): string {
  if (report.cases_failed.length === 0) return '';
  return `<h3>Cases that could not run</h3>${table(
    ['case', 'error'],
    report.cases_failed.map((f) => [f.case_id, f.error]),
    'wide',
  )}`;
}

/** The episode shown: the first correct one that ordered tests, else the first with most turns. */
function sampleEpisode(records: EpisodeRecord[]): EpisodeRecord | null {
  return records.find((r) => r.correct && r.orders > 0) ?? [...records].sort((a, b) => b.turns_used - a.turns_used)[0] ?? null;
}

function episodeView(sample: EpisodeRecord): string {
  return trajectoryView({
    title: `An episode: case ${sample.case_id}`,
    facts: [
      ['gold diagnosis', sample.gold_diagnosis],
      ['final diagnosis', sample.final_diagnosis ?? '(none)'],
      ['correct', sample.correct ? 'yes' : 'no'],
      ['test precision / recall', `${num(sample.test_precision)} / ${num(sample.test_recall)}`],
      ['DTC / RAC', `${num(sample.dtc)} / ${num(sample.rac)}`],
      ['test cost', `$${num(sample.test_cost, 0)}`],
    ],
    messages: sample.messages,
    turns: sample.turns,
  });
}
