import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Command, Option } from 'commander';
import type { Driver } from 'neo4j-driver';
import { createNeo4jDriver, describeNeo4jError, verifyNeo4j } from '../clients/neo4j';
import { createOpenAiClient, LlmEndpoint, type StoredCompletion } from '../clients/llm';
import type { Config } from '../config';
import type { DiagnosisJudge } from '../core/dataset/judge';
import { LlmJudge } from '../core/dataset/llm-judge';
import { UserError } from '../core/errors';
import { agreement, type Agreement } from '../core/judge/agreement';
import { CompositionalJudge } from '../core/judge/compositional-judge';
import { readJudgePairs } from '../core/judge/pairs';
import type { KgAccess } from '../core/kg/access';
import { buildKg } from '../core/kg/build';
import { MemoryKg } from '../core/kg/memory-kg';
import { EntityLinker } from '../core/linking/linker';
import { bundledKgSourceDir, readKgSources } from '../stores/kg-sources';
import { Neo4jKg } from '../stores/neo4j-kg/neo4j-kg';
import { ResponseStore } from '../stores/response-store';
import { configFor } from './context';
import { positiveInt } from './option-parsers';
import { emit, progressLine } from './output';

interface JudgeOptions {
  pairs: string;
  judge: 'kg' | 'llm';
  judgeModel?: string;
  kg: 'memory' | 'neo4j';
  source: string;
  out?: string;
  cache?: string;
  concurrency: number;
  json?: boolean;
}

/** `medaction judge --json`: the agreement figures, plus what was skipped. */
export interface JudgeSummary extends Agreement {
  judge: string;
  /** Lines skipped: not a valid pair, or the judge failed on them (by line number). */
  skipped: { line: number; error: string }[];
  out: string | null;
}

export function judgeCommand(): Command {
  return new Command('judge')
    .description('judge final diagnoses against golds (JSON lines with answer, gold, optional gold_long and correct)')
    .requiredOption('--pairs <file.jsonl>', 'the pairs to judge')
    .addOption(new Option('--judge <judge>', 'the offline judge (kg) or an LLM judge').choices(['kg', 'llm']).default('kg'))
    .option('--judge-model <name>', 'model of the LLM judge (default: config llm.model)')
    .addOption(
      new Option(
        '--kg <backend>',
        'the KG the offline judge links against: built in memory from --source, or the loaded Neo4j graph',
      )
        .choices(['memory', 'neo4j'])
        .default('memory'),
    )
    .option('--source <dir>', 'KG source folder for --kg memory', bundledKgSourceDir())
    .option('--out <verdicts.jsonl>', 'write one line per pair: its fields plus verdict, method, evidence')
    .option('--cache <dir>', 'LLM judge: folder of stored replies (default: next to --out, else .medaction/judge-llm)')
    .option('--concurrency <n>', 'pairs judged at once', positiveInt('--concurrency'), 4)
    .option('--json', 'print the agreement figures as one JSON object')
    .action(async (opts: JudgeOptions, command: Command) => {
      const config = configFor(command);
      const text = await readFile(opts.pairs, 'utf8').catch((error: NodeJS.ErrnoException) => {
        throw new UserError(`cannot read --pairs ${opts.pairs} (${error.code ?? error.message})`, 2);
      });
      const { pairs, errors } = readJudgePairs(text);
      for (const e of errors) progressLine(`${opts.pairs}:${e.line}: skipped: ${e.error}`);
      const summary = await withJudge(config, opts, async (judge) => {
        const verdicts = new Array<Record<string, unknown> | undefined>(pairs.length);
        const failed: { line: number; error: string }[] = [];
        let next = 0;
        const work = async () => {
          for (let i = next++; i < pairs.length; i = next++) {
            const { line, pair } = pairs[i] as (typeof pairs)[number];
            try {
              const j = await judge.judge({
                final: pair.answer,
                gold: { short: pair.gold, long: pair.gold_long ?? pair.gold },
              });
              verdicts[i] = { ...pair, verdict: j.correct, method: j.method, evidence: j.evidence ?? null };
            } catch (error) {
              failed.push({ line, error: `judge failed: ${(error as Error).message}` });
              progressLine(`${opts.pairs}:${line}: skipped: judge failed: ${(error as Error).message}`);
            }
          }
        };
        await Promise.all(Array.from({ length: Math.min(opts.concurrency, Math.max(pairs.length, 1)) }, work));
        const judged = verdicts.filter((v): v is Record<string, unknown> => v !== undefined);
        if (opts.out) {
          await mkdir(dirname(resolve(opts.out)), { recursive: true });
          await writeFile(opts.out, judged.map((v) => JSON.stringify(v)).join('\n') + (judged.length > 0 ? '\n' : ''));
        }
        const figures = agreement(
          judged.map((v) => ({
            verdict: v.verdict as boolean,
            reference: typeof v.correct === 'boolean' ? v.correct : undefined,
            method: v.method as string,
          })),
        );
        const skipped = [...errors, ...failed].sort((a, b) => a.line - b.line);
        return { ...figures, judge: judge.name, skipped, out: opts.out ? resolve(opts.out) : null } satisfies JudgeSummary;
      });
      emit(Boolean(opts.json), summary, humanSummary);
    });
}

function humanSummary(s: JudgeSummary): string {
  const lines = [`${s.n} pairs judged by ${s.judge}${s.skipped.length > 0 ? `, ${s.skipped.length} lines skipped` : ''}`];
  if (s.kappa !== null) {
    lines.push(
      `  against the reference labels of ${s.labelled}: kappa ${s.kappa}, correct answers accepted ${s.accepted_correct}, wrong ones rejected ${s.rejected_wrong} (tp ${s.tp}, fp ${s.fp}, tn ${s.tn}, fn ${s.fn})`,
    );
  }
  lines.push(
    `  methods: ${Object.entries(s.methods)
      .map(([m, n]) => `${m} ${n}`)
      .join(', ')}`,
  );
  if (s.out) lines.push(`  verdicts written to ${s.out}`);
  return lines.join('\n');
}

/** Runs the work with the judge asked for, opening (and closing) what it needs. */
async function withJudge<T>(config: Config, opts: JudgeOptions, work: (judge: DiagnosisJudge) => Promise<T>): Promise<T> {
  if (opts.judge === 'llm') {
    const model = opts.judgeModel ?? config.llm.model;
    if (!model) throw new UserError('--judge llm needs a model: --judge-model or MEDACTION_LLM_MODEL', 2);
    const endpoint = new LlmEndpoint(createOpenAiClient(config), config.llm);
    const cache = opts.cache ?? (opts.out ? join(dirname(resolve(opts.out)), 'judge-llm') : join('.medaction', 'judge-llm'));
    const store = new ResponseStore<StoredCompletion>(resolve(cache));
    return work(new LlmJudge((messages, attempt) => endpoint.completeJudgement(model, messages, attempt, store), model));
  }
  return withKg(config, opts, 'the offline judge', (kg) => work(new CompositionalJudge(kg, new EntityLinker(kg))));
}

/** Runs the work on the KG asked for: built in memory from a source folder, or the loaded Neo4j graph (closed after). */
export async function withKg<T>(
  config: Config,
  opts: { kg: 'memory' | 'neo4j'; source: string },
  purpose: string,
  work: (kg: KgAccess) => Promise<T>,
): Promise<T> {
  let driver: Driver | undefined;
  try {
    let kg: KgAccess;
    if (opts.kg === 'neo4j') {
      driver = createNeo4jDriver(config);
      await verifyNeo4j(config, driver).catch((error: unknown) => {
        throw new UserError(`${purpose} needs the loaded KG: ${describeNeo4jError(config, error)}`);
      });
      kg = new Neo4jKg(driver, config.neo4j.database);
    } else {
      kg = new MemoryKg(buildKg(await readKgSources(opts.source)));
    }
    return await work(kg);
  } finally {
    await driver?.close();
  }
}
