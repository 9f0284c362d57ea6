import path from 'node:path';
import type { BuildSettings } from '../core/dataset/build-settings';
import type { CaseOutcome, TrajectoryRecord } from '../core/dataset/records';
import { buildReport, type BuildReport, type FailedCase } from '../core/dataset/report';
import { withoutTrace, type ChatMessage } from '../core/policy/prompts';
import { BuildStore } from './build-store';
import { AtomicLineWriter, writeFileAtomic } from './files';
import { HTML_REPORT, writeBuildHtmlReport } from './html-report';

export const DATASET_FILES = {
  trajectories: 'trajectories.jsonl',
  rejected: 'rejected.jsonl',
  report: 'report.json',
  html: HTML_REPORT,
} as const;

/** How the dataset files are written. */
export interface ExportOptions {
  /** Keep the models' reasoning traces in the assistant turns (`reasoning_content`), or leave them out. */
  reasoning: 'include' | 'omit';
}

/** A record whose messages carry no reasoning trace. */
function withoutTraces<R extends { messages: ChatMessage[] }>(record: R): R {
  return { ...record, messages: record.messages.map(withoutTrace) };
}

/**
 * Writes the dataset from the case outcomes in the store: trajectories.jsonl and rejected.jsonl in a
 * canonical order (cases in case-file order, paths in tree order), so the same build always gives the
 * same bytes, report.json and report.html. Each file is replaced atomically. One case's outcome is in memory at a
 * time. Cases without an outcome are left out (they failed, and the report lists them).
 */
export async function exportDataset(
  settings: BuildSettings,
  caseIds: string[],
  failedCases: FailedCase[],
  outDir = settings.storeDir,
  options: ExportOptions = { reasoning: 'include' },
): Promise<BuildReport> {
  const shaped = options.reasoning === 'omit' ? withoutTraces : <R>(record: R) => record;
  const store = new BuildStore(settings.storeDir);
  const failed = new Set(failedCases.map((f) => f.case_id));
  const trajectories = new AtomicLineWriter(path.join(outDir, DATASET_FILES.trajectories));
  const rejected = new AtomicLineWriter(path.join(outDir, DATASET_FILES.rejected));
  const light: CaseOutcome[] = [];
  const missing: FailedCase[] = [];
  // The trajectory the HTML report shows: the complete one with the most turns (the first of them).
  let sample: TrajectoryRecord | null = null;
  try {
    for (const id of caseIds) {
      const outcome = store.readOutcome(id);
      if (!outcome) {
        if (!failed.has(id)) missing.push({ case_id: id, error: 'no outcome in the store (the case did not finish)' });
        continue;
      }
      for (const t of outcome.trajectories) {
        trajectories.write(JSON.stringify(shaped(t)));
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
  } catch (error) {
    trajectories.abort();
    rejected.abort();
    throw error;
  }
  trajectories.commit();
  rejected.commit();
  const report = buildReport(settings, light, [...failedCases, ...missing]);
  writeFileAtomic(path.join(outDir, DATASET_FILES.report), `${JSON.stringify(report, null, 2)}\n`);
  await writeBuildHtmlReport(path.join(outDir, DATASET_FILES.html), report, sample);
  return report;
}
