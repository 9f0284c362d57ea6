import type { TrajectoryRecord } from '../dataset/records';
import type { BuildReport } from '../dataset/report';
import { REJECTION_REASONS } from '../tree/selection';
import { barsChart, histogramChart } from './charts';
import { ChartSet, esc, num, page, table, tiles, trajectoryView } from './html';

/** Rows of the long tables shown in full; the rest are counted (the JSON files have them all). */
const TABLE_ROWS = 200;

/**
 * The HTML report of a build: counts, the acceptance funnel, score and tree distributions, tokens and
 * test cost, failed cases and branches, and one kept trajectory as a conversation with its per-turn
 * metrics. Returns the charts to render and the page to fill with them.
 */
export function buildReportPage(report: BuildReport, sample: TrajectoryRecord | null): { charts: ChartSet; html: string } {
  const charts = new ChartSet();
  const settings = report.settings as Record<string, unknown>;
  // The sections in page order (charts are numbered in the order they are added).
  const body = [
    summaryTiles(report),
    funnelSection(report, charts),
    scoresSection(report, charts),
    treesSection(report, charts),
    costSection(report, charts),
    failuresSection(report),
    sample ? trajectorySection(sample) : '<h2>Trajectories</h2><p>No trajectory was kept.</p>',
    casesSection(report),
    '<h2 id="settings">Settings</h2>',
    `<pre>${esc(JSON.stringify({ config_hash: report.config_hash, forced_changes: report.forced_changes, ...settings }, null, 2))}</pre>`,
  ].join('\n');
  const subtitle = `${String(settings.policy)}${settings.model ? ` (${String(settings.model)})` : ''}, k = ${String(settings.branching)}, ${String(settings.max_turns)} turns, judge ${String(settings.judge)}`;
  return { charts, html: page(`MedAction build ${report.build_id}`, subtitle, body) };
}

function summaryTiles(report: BuildReport): string {
  const d = report.distributions;
  return tiles([
    ['cases', `${num(report.cases)}${report.cases_failed ? ` (${report.cases_failed} failed)` : ''}`],
    ['trajectories kept', num(report.trajectories_kept)],
    ['complete / prefixes', `${num(report.complete_kept)} / ${num(report.prefixes_kept)}`],
    ['paths rejected', num(report.rejected)],
    ['acceptance rate', num(report.acceptance_rate)],
    ['mean DTC / RAC', `${num(d.dtc.mean)} / ${num(d.rac.mean)}`],
    ['LLM calls', num(report.llm_calls)],
    ['tokens', num(report.tokens)],
    ['LLM cost', report.llm_cost_usd == null ? '–' : `$${report.llm_cost_usd.toFixed(2)}`],
    ['test cost / trajectory', report.test_cost?.per_trajectory == null ? '–' : `$${num(report.test_cost.per_trajectory, 0)}`],
  ]);
}

/** Paths explored, kept whole, kept as prefixes and rejected (by reason). */
function funnelSection(report: BuildReport, charts: ChartSet): string {
  const funnel = [
    { label: 'paths explored', value: report.complete_kept + report.rejected, group: 'explored' },
    { label: 'kept whole (correct)', value: report.complete_kept, group: 'kept' },
    { label: 'prefixes kept', value: report.prefixes_kept, group: 'kept' },
    { label: 'rejected', value: report.rejected, group: 'rejected' },
    ...REJECTION_REASONS.map((r) => ({
      label: `rejected: ${r.replace(/_/g, ' ')}`,
      value: report.rejected_by_reason[r] ?? 0,
      group: 'rejected',
    })),
  ];
  return [
    '<h2 id="funnel">Acceptance funnel</h2>',
    `<div class="charts">${charts.add('funnel', barsChart('Paths explored, kept and rejected', funnel, 'paths'))}</div>`,
  ].join('\n');
}

function scoresSection(report: BuildReport, charts: ChartSet): string {
  const d = report.distributions;
  return [
    '<h2 id="scores">Scores of the kept trajectories</h2>',
    `<div class="charts">${charts.add('dtc', histogramChart('Disease Trajectory Consistency (DTC)', d.dtc, 'DTC'))}${charts.add(
      'rac',
      histogramChart('Reasoning-Action Consistency (RAC)', d.rac, 'RAC'),
    )}${charts.add('grounded', histogramChart('Grounded ordering', d.grounded_ordering, 'grounded share of orders'))}</div>`,
  ].join('\n');
}

function treesSection(report: BuildReport, charts: ChartSet): string {
  const d = report.distributions;
  return [
    '<h2 id="trees">Trees</h2>',
    `<div class="charts">${charts.add(
      'per-case',
      histogramChart('Trajectories kept per case', d.trajectories_per_case, 'trajectories'),
    )}${charts.add('tree-size', histogramChart('Tree size', d.tree_nodes, 'nodes (turns)'))}${charts.add(
      'tree-depth',
      histogramChart('Tree depth', d.tree_depth, 'turns on the longest path'),
    )}</div>`,
  ].join('\n');
}

/** Tokens in all and per case, the LLM and test costs. */
function costSection(report: BuildReport, charts: ChartSet): string {
  const d = report.distributions;
  return [
    '<h2 id="cost">Tokens and cost</h2>',
    table(
      ['', 'prompt', 'completion', 'total'],
      [
        ['tokens', report.tokens_detail.prompt, report.tokens_detail.completion, report.tokens_detail.total],
        [
          'per case',
          ...(['prompt', 'completion', 'total'] as const).map((k) =>
            report.cases_done === 0 ? null : Math.round(report.tokens_detail[k] / report.cases_done),
          ),
        ],
      ],
    ),
    `<p>LLM calls: ${num(report.llm_calls)}. LLM cost: ${report.llm_cost_usd == null ? 'not priced (set MEDACTION_LLM_PRICE_PROMPT and MEDACTION_LLM_PRICE_COMPLETION, USD per million tokens)' : `$${report.llm_cost_usd.toFixed(2)}`}. Test cost (ballpark US prices, docs/test-costs.md): $${num(report.test_cost?.per_trajectory ?? null, 0)} per kept trajectory, $${num(report.test_cost?.per_case ?? null, 0)} per case.</p>`,
    d.test_cost
      ? `<div class="charts">${charts.add('test-cost', histogramChart('Test cost per kept trajectory', d.test_cost, 'USD'))}</div>`
      : '',
  ].join('\n');
}

/** The failed cases and failed branches, the first TABLE_ROWS of each. */
function failuresSection(report: BuildReport): string {
  return [
    '<h2 id="failures">Failures</h2>',
    report.failed_cases.length === 0
      ? '<p>No case failed.</p>'
      : table(
          ['case', 'error'],
          report.failed_cases.slice(0, TABLE_ROWS).map((f) => [f.case_id, f.error]),
          'wide',
        ),
    report.failed_branches.length === 0
      ? '<p>No branch failed.</p>'
      : `<p>${num(report.failed_branches.length)} failed branches${report.failed_branches.length > TABLE_ROWS ? ` (the first ${TABLE_ROWS})` : ''}:</p>` +
        table(
          ['case', 'branch', 'error'],
          report.failed_branches.slice(0, TABLE_ROWS).map((f) => [f.case_id, f.branch_path || '(root)', f.error]),
          'wide',
        ),
  ].join('\n');
}

/** One kept trajectory as a conversation, with its scores. */
function trajectorySection(sample: TrajectoryRecord): string {
  return trajectoryView({
    title: `A kept trajectory: ${sample.id}`,
    facts: [
      ['gold diagnosis', sample.gold_diagnosis],
      ['final diagnosis', sample.final_diagnosis ?? '(prefix: none)'],
      ['DTC', num(sample.dtc)],
      ['RAC', num(sample.rac)],
      ['grounded ordering', num(sample.grounded_ordering)],
      ['test cost', `$${num(sample.test_cost ?? 0, 0)}`],
    ],
    messages: sample.messages,
    turns: sample.turns.map((t) => ({ ...t, orders: t.orders.map((o) => ({ ...o, cost: o.cost ?? 0 })) })),
  });
}

/** The per-case table, the first TABLE_ROWS cases. */
function casesSection(report: BuildReport): string {
  return [
    '<h2 id="cases">Cases</h2>',
    `<details><summary>${num(report.per_case.length)} cases${report.per_case.length > TABLE_ROWS ? ` (the first ${TABLE_ROWS})` : ''}</summary>${table(
      ['case', 'gold', 'nodes', 'depth', 'complete', 'prefixes', 'rejected', 'failed branches', 'tokens'],
      report.per_case
        .slice(0, TABLE_ROWS)
        .map((c) => [
          c.case_id,
          c.gold_diagnosis,
          c.nodes,
          c.depth,
          c.complete,
          c.prefixes,
          c.rejected,
          c.failed_branches,
          c.tokens,
        ]),
      'wide',
    )}</details>`,
  ].join('\n');
}
