import fs from 'node:fs';
import path from 'node:path';
import type { EpisodeRecord } from '../core/eval/episode';
import type { EvalReport } from '../core/eval/summary';
import { isEvalSettings } from '../core/run/run-kind';
import { UserError } from '../core/errors';
import { BuildStore } from './build-store';
import { EVAL_FILES } from './eval-export';
import { readTextFile } from './files';

/** A finished evaluation as its output folder holds it: eval.json, eval.jsonl and its manifest. */
export interface EvaluationResults {
  dir: string;
  report: EvalReport;
  records: EpisodeRecord[];
  /** The judge's version from the manifest (null: the folder has no manifest). */
  judgeVersion: string | null;
}

export function readEvaluation(dir: string): EvaluationResults {
  const summaryFile = path.join(dir, EVAL_FILES.summary);
  if (!fs.existsSync(summaryFile)) {
    throw new UserError(
      `${dir} is not a finished evaluation: it has no ${EVAL_FILES.summary} (run \`medaction eval --out ${dir}\`)`,
    );
  }
  let report: EvalReport;
  let records: EpisodeRecord[];
  const episodesFile = path.join(dir, EVAL_FILES.episodes);
  try {
    report = JSON.parse(readTextFile(summaryFile, 'evaluation summary')) as EvalReport;
    records = readTextFile(episodesFile, 'evaluation episodes')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as EpisodeRecord);
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`${dir} holds a damaged evaluation (${(error as Error).message})`);
  }
  if (typeof report.eval_id !== 'string' || typeof report.cases_hash !== 'string') {
    throw new UserError(`${summaryFile} is not an evaluation summary`);
  }
  const settings = new BuildStore(dir).readManifest()?.settings;
  const judgeVersion = settings && isEvalSettings(settings) ? settings.judgeVersion : null;
  return { dir, report, records, judgeVersion };
}
