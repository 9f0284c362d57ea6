import fs from 'node:fs';
import path from 'node:path';
import type { BuildSettings } from '../core/dataset/build-settings';
import type { CaseOutcome, TrajectoryRecord } from '../core/dataset/records';
import { buildReport, type BuildReport, type FailedCase } from '../core/dataset/report';
import { FeatureInference } from '../core/export/features';
import { datasetCard, type CardSources, type ExportFile } from '../core/export/dataset-card';
import { splitCases } from '../core/export/case-split';
import { TrajectorySelector, type TrajectorySelection } from '../core/export/select-trajectories';
import { openAiRow, shareGptRow, trlRows, type TrainerFormat } from '../core/export/trainer-formats';
import { withoutTrace, type ChatMessage } from '../core/policy/prompts';
import { UserError } from '../core/errors';
import { PROJECT_ROOT } from '../config/project-root';
import cardSources from '../data/dataset-card/sources.json';
import { BuildStore } from './build-store';
import { readCaseSources } from './case-store';
import { AtomicLineWriter, writeFileAtomic } from './files';
import { HTML_REPORT, writeBuildHtmlReport } from './html-report';

export const DATASET_FILES = {
  trajectories: 'trajectories.jsonl',
  rejected: 'rejected.jsonl',
  report: 'report.json',
  html: HTML_REPORT,
  card: 'README.md',
  llamaFactory: 'dataset_info.json',
} as const;

/** How the dataset files are written. */
export interface ExportOptions {
  /** Keep the models' reasoning traces in the assistant turns (`reasoning_content`), or leave them out. */
  reasoning: 'include' | 'omit';
  /** The rows' format (default messages: the full trajectory records). */
  format?: TrainerFormat;
  /** Which kept trajectories to take (default: all). */
  selection?: TrajectorySelection;
  /** Split by case (core/export/case-split.ts), stratified by the case file's sources, with the flag that asked for it. */
  split?: { splits: { name: string; share: number }[]; spec: string; seed: number };
}

/** What an export wrote, beside the build report. */
export interface ExportResult {
  report: BuildReport;
  format: TrainerFormat;
  files: ExportFile[];
  exported: number;
  filtered: number;
  duplicates: number;
  card: string;
}

const ALL: TrajectorySelection = { kinds: ['complete', 'prefix'], dedup: false };

/** A record whose messages carry no reasoning trace. */
function withoutTraces<R extends { messages: ChatMessage[] }>(record: R): R {
  return { ...record, messages: record.messages.map(withoutTrace) };
}

/** The rows a kept trajectory becomes in a format. */
function rowsOf(t: TrajectoryRecord, format: TrainerFormat, reasoning: ExportOptions['reasoning']): unknown[] {
  switch (format) {
    case 'messages':
      return [reasoning === 'omit' ? withoutTraces(t) : t];
    case 'openai':
      return [openAiRow(t)];
    case 'sharegpt':
      return [shareGptRow(t)];
    case 'trl':
      return trlRows(t, reasoning);
  }
}

/** One data file per split (one `train` file, trajectories.jsonl, without a split), with its counts. */
class SplitFiles {
  readonly features = new FeatureInference();
  private readonly writers = new Map<string, { writer: AtomicLineWriter; file: ExportFile; cases: Set<string> }>();

  constructor(outDir: string, names: string[] | null) {
    const files = names === null ? [['train', DATASET_FILES.trajectories]] : names.map((n) => [n, `${n}.jsonl`]);
    for (const [split, file] of files as [string, string][]) {
      this.writers.set(split, {
        writer: new AtomicLineWriter(path.join(outDir, file)),
        file: { split, path: file, rows: 0, trajectories: 0, cases: 0, bytes: 0 },
        cases: new Set(),
      });
    }
  }

  write(split: string, caseId: string, rows: unknown[]): void {
    const entry = this.writers.get(split);
    if (!entry) throw new Error(`no split "${split}" in this export`);
    for (const row of rows) {
      const line = JSON.stringify(row);
      entry.writer.write(line);
      entry.file.bytes += Buffer.byteLength(line) + 1;
      this.features.add(row);
    }
    entry.file.rows += rows.length;
    entry.file.trajectories++;
    entry.cases.add(caseId);
  }

  commit(): ExportFile[] {
    return [...this.writers.values()].map(({ writer, file, cases }) => {
      writer.commit();
      return { ...file, cases: cases.size };
    });
  }

  abort(): void {
    for (const { writer } of this.writers.values()) writer.abort();
  }
}

const medactionVersion = (): string =>
  (JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/**
 * Writes the dataset from the case outcomes in the store: the kept trajectories (trajectories.jsonl, or one
 * file per split) in a canonical order (cases in case-file order, paths in tree order), so the same build
 * always gives the same bytes; rejected.jsonl, report.json, report.html and the dataset card README.md.
 * Each file is replaced atomically. One case's outcome is in memory at a time. Cases without an outcome
 * are left out (they failed, and the report lists them).
 */
export async function exportDataset(
  settings: BuildSettings,
  caseIds: string[],
  failedCases: FailedCase[],
  outDir = settings.storeDir,
  options: ExportOptions = { reasoning: 'include' },
): Promise<ExportResult> {
  const format = options.format ?? 'messages';
  const selection = options.selection ?? ALL;
  const selector = new TrajectorySelector(selection);
  const shaped = options.reasoning === 'omit' ? withoutTraces : <R>(record: R) => record;
  const store = new BuildStore(settings.storeDir);
  const failed = new Set(failedCases.map((f) => f.case_id));
  // The case file's sources: what a split is stratified by and the card's licences come from (read once).
  const sources = readCaseSources(settings.casesFile);
  const sourceOf = (id: string) => sources?.get(id) ?? 'unknown';
  if (options.split && !sources) {
    throw new UserError(`--split stratifies by case source, and the build's case file ${settings.casesFile} cannot be read`);
  }
  const assignment = options.split
    ? splitCases(
        caseIds.map((id) => ({ id, source: sourceOf(id) })),
        options.split.splits,
        options.split.seed,
      )
    : null;
  const data = new SplitFiles(outDir, options.split?.splits.map((s) => s.name) ?? null);
  const rejected = new AtomicLineWriter(path.join(outDir, DATASET_FILES.rejected));
  const light: CaseOutcome[] = [];
  const missing: FailedCase[] = [];
  // The trajectory the HTML report shows: the complete one with the most turns (the first of them).
  let sample: TrajectoryRecord | null = null;
  let files: ExportFile[];
  try {
    for (const id of caseIds) {
      const outcome = store.readOutcome(id);
      if (!outcome) {
        if (!failed.has(id)) missing.push({ case_id: id, error: 'no outcome in the store (the case did not finish)' });
        continue;
      }
      const split = assignment ? (assignment.get(id) as string) : 'train';
      for (const t of outcome.trajectories) {
        if (selector.judge(t) === 'taken') data.write(split, id, rowsOf(t, format, options.reasoning));
        if (t.kind === 'complete' && (sample === null || t.turns.length > sample.turns.length)) sample = t;
      }
      for (const r of outcome.rejections) rejected.write(JSON.stringify(shaped(r)));
      // The report needs the kept trajectories' scores only.
      light.push({
        ...outcome,
        trajectories: outcome.trajectories.map((t) => ({ ...t, messages: [], turns: [] })),
        rejections: [],
      });
    }
    files = data.commit();
  } catch (error) {
    data.abort();
    rejected.abort();
    throw error;
  }
  rejected.commit();
  const report = buildReport(settings, light, [...failedCases, ...missing]);
  writeFileAtomic(path.join(outDir, DATASET_FILES.report), `${JSON.stringify(report, null, 2)}\n`);
  await writeBuildHtmlReport(path.join(outDir, DATASET_FILES.html), report, sample);

  const perSource = new Map<string, number>();
  for (const id of caseIds) perSource.set(sourceOf(id), (perSource.get(sourceOf(id)) ?? 0) + 1);
  const card = datasetCard({
    report,
    settings,
    format,
    reasoning: options.reasoning,
    files,
    features: data.features.columns,
    featureConflict: data.features.conflict,
    selection: { ...selection, filtered: selector.counts.filtered, duplicates: selector.counts.duplicate },
    split: options.split ? { spec: options.split.spec, seed: options.split.seed } : null,
    sources: sources === null ? null : [...perSource.entries()].map(([source, cases]) => ({ source, cases })),
    table: cardSources as CardSources,
    medactionVersion: medactionVersion(),
  });
  writeFileAtomic(path.join(outDir, DATASET_FILES.card), card);
  if (format === 'sharegpt') writeLlamaFactoryInfo(outDir, settings.buildId, files);
  return {
    report,
    format,
    files,
    exported: selector.counts.taken,
    filtered: selector.counts.filtered,
    duplicates: selector.counts.duplicate,
    card: DATASET_FILES.card,
  };
}

/** LLaMA-Factory's dataset_info.json: one entry per split file, ShareGPT with this export's role tags. */
function writeLlamaFactoryInfo(outDir: string, buildId: string, files: ExportFile[]): void {
  const name = `medaction_${buildId.replace(/[^A-Za-z0-9]+/g, '_')}`;
  const entries = Object.fromEntries(
    files.map((f) => [
      `${name}_${f.split}`,
      {
        file_name: f.path,
        formatting: 'sharegpt',
        columns: { messages: 'conversations' },
        tags: { role_tag: 'from', content_tag: 'value', user_tag: 'human', assistant_tag: 'gpt', system_tag: 'system' },
      },
    ]),
  );
  writeFileAtomic(path.join(outDir, DATASET_FILES.llamaFactory), `${JSON.stringify(entries, null, 2)}\n`);
}
