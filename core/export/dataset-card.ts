import { roundTo } from '../round';
import type { BuildSettings } from '../dataset/build-settings';
import type { BuildReport, Histogram } from '../dataset/report';
import { featuresYaml, type Feature } from './features';
import type { TrainerFormat } from './trainer-formats';

/**
 * The dataset card (README.md) written with every export: a Hugging Face YAML header that
 * `datasets.load_dataset(<dir>)` reads (its `configs` name the split files, its `dataset_info` the row
 * counts, which the loader checks), then how the data was made. Every number comes from the build's
 * report and the export's own counts; nothing is typed by hand.
 */

/** data/dataset-card/sources.json: the licence of each case source, and the KG sources. */
export interface CardSources {
  cases: Record<string, { name: string; license: string; share_alike: boolean; attribution: string }>;
  kg: { name: string; version: string; license: string }[];
}

/** One data file of the export: a split. */
export interface ExportFile {
  split: string;
  path: string;
  rows: number;
  trajectories: number;
  cases: number;
  /** The file's size in bytes (the card's `num_bytes`: Hugging Face's counts the loaded data, this the file). */
  bytes: number;
}

export interface CardInput {
  report: BuildReport;
  settings: BuildSettings;
  format: TrainerFormat;
  reasoning: 'include' | 'omit';
  files: ExportFile[];
  /** The rows' columns over every split (core/export/features.ts); null when no one schema fits them. */
  features: Map<string, Feature> | null;
  /** Why not (a column with two types). */
  featureConflict?: string | null;
  /** The export's own selection on top of the build's filter. */
  selection: { kinds: string[]; minDtc?: number; minRac?: number; dedup: boolean; filtered: number; duplicates: number };
  split: { spec: string; seed: number } | null;
  /** Cases of the build per source (null: the case file could not be read, so sources are unknown). */
  sources: { source: string; cases: number }[] | null;
  table: CardSources;
  medactionVersion: string;
}

const FORMAT_ROWS: Record<TrainerFormat, string> = {
  messages:
    'one row per trajectory: the full MedAction record (`messages` in OpenAI chat form, the per-turn `turns` with differentials and orders, `dtc`, `rac`, the judge and its evidence, tokens, test cost)',
  openai: 'one row per trajectory: `{"messages": [...]}` with roles system/user/assistant (OpenAI fine-tuning chat format)',
  sharegpt:
    'one row per trajectory: `{"conversations": [{"from": "system"|"human"|"gpt", "value": ...}]}` (LLaMA-Factory, Axolotl); `dataset_info.json` registers each split for LLaMA-Factory',
  trl: 'one row per assistant turn: `prompt` (the conversation before the turn) and `completion` (the turn), with `trajectory_id` and `turn` (TRL prompt-completion, conversational), so every turn of a trajectory is learned',
};

/** Hugging Face's size categories, by row count. */
export function sizeCategory(rows: number): string {
  const bounds: [number, string][] = [
    [1e3, 'n<1K'],
    [1e4, '1K<n<10K'],
    [1e5, '10K<n<100K'],
    [1e6, '100K<n<1M'],
    [1e7, '1M<n<10M'],
  ];
  return bounds.find(([limit]) => rows < limit)?.[1] ?? 'n>1T';
}

/** The licence ids of the case sources present (unknown sources: "other"), in source order. */
export function licencesOf(sources: CardInput['sources'], table: CardSources): string[] {
  if (sources === null) return ['other'];
  return [...new Set(sources.map((s) => table.cases[s.source]?.license ?? 'other'))];
}

const q = (text: string) => JSON.stringify(text);

/** The YAML header; strings are written as JSON strings, which YAML reads as double-quoted scalars. */
function yamlHeader(input: CardInput, dataFiles: ExportFile[]): string {
  const rows = input.files.reduce((sum, f) => sum + f.rows, 0);
  const lines = [
    '---',
    'license:',
    ...licencesOf(input.sources, input.table).map((l) => `- ${l}`),
    'language:',
    '- en',
    'task_categories:',
    '- text-generation',
    'tags:',
    ...['medical', 'clinical-diagnosis', 'multi-turn', 'synthetic', 'medaction'].map((t) => `- ${t}`),
    `pretty_name: ${q(`MedAction trajectories (build ${input.report.build_id})`)}`,
    'size_categories:',
    `- ${sizeCategory(rows)}`,
  ];
  if (dataFiles.length > 0) {
    lines.push('configs:', '- config_name: default', '  data_files:');
    for (const f of dataFiles) lines.push(`  - split: ${f.split}`, `    path: ${q(f.path)}`);
    lines.push('dataset_info:', '  config_name: default');
    if (input.features) lines.push('  features:', ...featuresYaml(input.features, '  '));
    lines.push('  splits:');
    for (const f of dataFiles) lines.push(`  - name: ${f.split}`, `    num_bytes: ${f.bytes}`, `    num_examples: ${f.rows}`);
  }
  lines.push('---');
  return lines.join('\n');
}

function table(header: string[], rows: (string | number | null)[][]): string {
  const cell = (v: string | number | null) => (v === null ? '–' : String(v).replace(/\|/g, '\\|'));
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ].join('\n');
}

function histogramTable(name: string, h: Histogram): string {
  const rows = h.bins.map((lower, i) => {
    const upper = h.bins[i + 1];
    return [upper === undefined ? `${lower}` : `[${lower}, ${upper})`, h.counts[i] ?? 0];
  });
  const abstained = h.abstained ? `, ${h.abstained} abstained (no scorable turn)` : '';
  return `${name}: mean ${h.mean ?? '–'}${abstained}\n\n${table(['bin', 'trajectories'], rows)}`;
}

const KNOWN_LIMITS = [
  "The trajectories are synthetic: a teacher policy explored each case as a tree and the paths were filtered; they inherit the teacher's blind spots, and the test results are the case report's own (an order the report has no result for is answered UNAVAILABLE).",
  "Correctness is decided by the build's judge (above), not by a clinician; the offline judge's agreement with the MedR-Bench judge is measured on development and held-out answers in MedAction's docs/judge.md.",
  'DTC and RAC are computed on a knowledge graph linked by string matching; a disease or finding the linker misses makes a metric abstain or score low (docs/metrics.md).',
  'The build does not record which knowledge-graph sources were loaded into Neo4j; the KG table below lists the sources MedAction bundles, which `medaction kg load` loads by default.',
  'Not for clinical use: the data teach a model to ask for tests and name diagnoses, not to treat patients.',
];

/** The card: YAML header, then how the data was made. */
export function datasetCard(input: CardInput): string {
  const { report, settings } = input;
  const dataFiles = input.files.filter((f) => f.rows > 0);
  const empty = input.files.filter((f) => f.rows === 0);
  const rows = input.files.reduce((sum, f) => sum + f.rows, 0);
  const trajectories = input.files.reduce((sum, f) => sum + f.trajectories, 0);
  const explored = report.complete_kept + report.rejected;
  const model = settings.model === null ? '' : ` (model ${settings.model})`;
  const parts: string[] = [yamlHeader(input, dataFiles), ''];

  parts.push(
    `# MedAction trajectories: build ${report.build_id}`,
    '',
    `${trajectories} multi-turn active-diagnosis trajectories (${rows} rows) from ${report.cases} case${report.cases === 1 ? '' : 's'}, ` +
      `built by MedAction ${input.medactionVersion} with the \`${settings.policy}\` doctor policy${model}. ` +
      'In each, a doctor sees an initial presentation, orders tests, reads the results, revises a ranked differential and commits to a diagnosis.',
    '',
    '## Files and splits',
    '',
    `Format \`${input.format}\`: ${FORMAT_ROWS[input.format]}. Reasoning traces of reasoning models (\`reasoning_content\`): ${
      input.format === 'openai' || input.format === 'sharegpt'
        ? 'left out (the format has no field for them)'
        : input.reasoning === 'include'
          ? 'kept on the assistant turns'
          : 'left out'
    }.`,
    '',
    table(
      ['split', 'file', 'rows', 'trajectories', 'cases with rows'],
      input.files.map((f) => [f.split, f.path, f.rows, f.trajectories, f.cases]),
    ),
    '',
    input.split
      ? `Split by case with \`--split ${input.split.spec} --split-seed ${input.split.seed}\`: no case is in two splits, and each case source is dealt to the splits in proportion.`
      : 'One split: every exported trajectory is in `train`.',
    ...(input.features === null
      ? [
          '',
          `No features on this card: the rows have no one schema (${input.featureConflict ?? 'a column with two types'}); the loader infers the types and may refuse some rows.`,
        ]
      : []),
    ...(empty.length > 0
      ? [
          '',
          `Empty splits, left out of the configs (a loader cannot read an empty file): ${empty.map((f) => f.split).join(', ')}.`,
        ]
      : []),
    '',
    'Load it with `datasets.load_dataset("<this folder>")`. `rejected.jsonl` holds the rejected paths with their reasons; `report.json` and `report.html` are the build\'s report.',
    '',
    '## How it was made',
    '',
    table(
      ['setting', 'value'],
      [
        ['policy', settings.policy],
        ['model', settings.model],
        ['temperature', settings.temperature],
        ['candidates per turn (branching)', settings.branching],
        ['max turns', settings.maxTurns],
        ['node budget per case', settings.nodeBudget],
        ['seed', settings.seed],
        ['prune divergent branches', String(settings.pruneDivergent)],
        ['judge', settings.judge === 'llm' ? `llm:${settings.judgeModel}` : 'kg (offline)'],
        ['judge version', settings.judgeVersion],
        ['metrics version', settings.metricsVersion],
        ['oracle version', settings.oracleVersion],
        ['prompts version', settings.promptsVersion],
        ['build filter', JSON.stringify(settings.filter)],
        ['cases file (SHA-256)', `${settings.casesFile.split(/[\\/]/).pop()} (${settings.casesHash.slice(0, 16)}…)`],
        ['case limit', settings.limit],
        ['configuration hash', report.config_hash],
        ['forced changes on resume', report.forced_changes.length === 0 ? 'none' : report.forced_changes.join('; ')],
      ],
    ),
    '',
    '### Funnel',
    '',
    table(
      ['step', 'count'],
      [
        ['cases', report.cases],
        ['cases failed or unfinished', report.cases_failed],
        ['paths explored', explored],
        ['complete trajectories kept', report.complete_kept],
        ['correct prefixes kept (of rejected paths)', report.prefixes_kept],
        ['paths rejected', report.rejected],
        ...Object.entries(report.rejected_by_reason).map(([reason, n]) => [`— rejected: ${reason}`, n] as [string, number]),
        ['trajectories in the build', report.trajectories_kept],
        [
          `left out by this export (kinds ${input.selection.kinds.join(',')}${input.selection.minDtc === undefined ? '' : `, DTC ≥ ${input.selection.minDtc}`}${input.selection.minRac === undefined ? '' : `, RAC ≥ ${input.selection.minRac}`})`,
          input.selection.filtered,
        ],
        [
          `duplicates dropped (identical assistant turns)${input.selection.dedup ? '' : ' — not asked for'}`,
          input.selection.duplicates,
        ],
        ['trajectories exported', trajectories],
      ],
    ),
    '',
    '### Scores of the kept trajectories',
    '',
    histogramTable('Disease Trajectory Consistency (DTC)', report.distributions.dtc),
    '',
    histogramTable('Reasoning-Action Consistency (RAC)', report.distributions.rac),
    '',
    '### Tokens and cost',
    '',
    table(
      ['', 'value'],
      [
        ['LLM calls (failed ones included)', report.llm_calls],
        ['failed calls / timeouts / retries', `${report.failed_calls} / ${report.timeouts} / ${report.retries}`],
        ['prompt tokens', report.tokens_detail.prompt],
        ['completion tokens', report.tokens_detail.completion],
        ['total tokens', report.tokens_detail.total],
        ['LLM cost (USD, at the configured prices)', report.llm_cost_usd ?? 'not priced'],
        [
          'mean test cost per kept trajectory (USD)',
          report.test_cost.per_trajectory === null ? null : roundTo(report.test_cost.per_trajectory, 2),
        ],
      ],
    ),
    '',
    '## Sources and licences',
    '',
  );
  if (input.sources === null) {
    parts.push(
      "The build's case file could not be read, so the case sources and their licences are unknown: check them before sharing.",
    );
  } else {
    parts.push(
      table(
        ['case source', 'cases', 'licence', 'attribution'],
        input.sources.map((s) => {
          const known = input.table.cases[s.source];
          return [
            s.source,
            s.cases,
            known?.license ?? 'unknown',
            known?.attribution ?? 'not known to MedAction: check before sharing',
          ];
        }),
      ),
    );
    if (input.sources.some((s) => input.table.cases[s.source]?.share_alike)) {
      parts.push(
        '',
        'Rows derived from a ShareAlike source must be shared under that licence; the dataset as a whole is under the combination of the licences above.',
      );
    }
  }
  parts.push(
    '',
    'The knowledge graph that scored the trajectories (its content is not in them):',
    '',
    table(
      ['KG source', 'version', 'licence'],
      input.table.kg.map((k) => [k.name, k.version, k.license]),
    ),
    '',
    '## Known limits',
    '',
    ...KNOWN_LIMITS.map((l) => `- ${l}`),
    '',
  );
  return parts.join('\n');
}
