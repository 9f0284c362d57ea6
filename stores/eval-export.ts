import path from 'node:path';
import type { EpisodeRecord } from '../core/eval/episode';
import type { EvalSettings } from '../core/eval/eval-settings';
import { evalReport, type EvalReport } from '../core/eval/summary';
import { TEST_COSTS_VERSION } from '../core/eval/test-costs';
import { BuildStore } from './build-store';
import { AtomicLineWriter, writeFileAtomic } from './files';
import { HTML_REPORT, writeEvalHtmlReport } from './html-report';

/** An evaluation's files in its output folder. */
export const EVAL_FILES = { episodes: 'eval.jsonl', summary: 'eval.json', html: HTML_REPORT } as const;

/** The evaluation's files from the episode records in its store. */
export async function exportEvaluation(
  settings: EvalSettings,
  caseIds: string[],
  failedCases: { case_id: string; error: string }[],
): Promise<EvalReport> {
  const store = new BuildStore(settings.storeDir);
  const failed = new Set(failedCases.map((f) => f.case_id));
  const missing: { case_id: string; error: string }[] = [];
  const records: EpisodeRecord[] = [];
  const lines = new AtomicLineWriter(path.join(settings.storeDir, EVAL_FILES.episodes));
  try {
    for (const id of caseIds) {
      const record = store.readEpisode(id);
      if (!record) {
        if (!failed.has(id)) missing.push({ case_id: id, error: 'no episode in the store (the case did not finish)' });
        continue;
      }
      lines.write(JSON.stringify(record));
      records.push(record);
    }
  } catch (error) {
    lines.abort();
    throw error;
  }
  lines.commit();
  const report = evalReport(
    {
      evalId: settings.evalId,
      policy: settings.policy,
      model: settings.model,
      judge: settings.judge === 'llm' ? `llm:${settings.judgeModel}` : 'kg',
      maxTurns: settings.maxTurns,
      casesFile: settings.casesFile,
      casesHash: settings.casesHash,
      testCostsVersion: TEST_COSTS_VERSION,
      llmPrices: settings.llmPrices,
    },
    records,
    [...failedCases, ...missing],
  );
  writeFileAtomic(path.join(settings.storeDir, EVAL_FILES.summary), `${JSON.stringify(report, null, 2)}\n`);
  await writeEvalHtmlReport(path.join(settings.storeDir, EVAL_FILES.html), report, records);
  return report;
}
