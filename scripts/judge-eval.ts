/**
 * The offline judge against reference verdicts, the development and held-out halves apart (data-split.ts):
 *   npm run judge:eval -- --pairs <judged-answers.jsonl> [--misses] [--rule '{"named":0.7}']
 * `--misses` lists the development half's disagreements only: the held-out half stays unread.
 */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { buildKg } from '../core/kg/build';
import { MemoryKg } from '../core/kg/memory-kg';
import { EntityLinker } from '../core/linking/linker';
import { CompositionalJudge, DEFAULT_THRESHOLDS, type JudgeThresholds } from '../core/judge/compositional-judge';
import { agreement } from '../core/judge/agreement';
import { bundledKgSourceDir, readKgSources } from '../stores/kg-sources';
import { splitOf } from './data-split';

interface Pair {
  case_id: string;
  answer: string;
  gold: string;
  correct: boolean;
}

async function main(): Promise<void> {
  const opts = new Command()
    .requiredOption('--pairs <file>')
    .option('--misses')
    .option('--rule <json>', 'thresholds to override', '{}')
    .parse()
    .opts<{ pairs: string; misses?: boolean; rule: string }>();
  const rule: JudgeThresholds = { ...DEFAULT_THRESHOLDS, ...(JSON.parse(opts.rule) as Partial<JudgeThresholds>) };
  const pairs = readFileSync(opts.pairs, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Pair);
  const kg = new MemoryKg(buildKg(await readKgSources(bundledKgSourceDir())));
  const judge = new CompositionalJudge(kg, new EntityLinker(kg), rule);
  const results = [];
  for (const p of pairs) {
    const j = await judge.judge({
      final: p.answer,
      gold: { short: p.gold, long: p.gold },
    });
    results.push({ pair: p, split: splitOf(p.case_id), j });
  }
  for (const split of ['dev', 'held-out'] as const) {
    const rows = results.filter((r) => r.split === split);
    const a = agreement(rows.map((r) => ({ verdict: r.j.correct, reference: r.pair.correct, method: r.j.method })));
    console.log(`${split}: ${JSON.stringify(a)}`);
  }
  const all = agreement(results.map((r) => ({ verdict: r.j.correct, reference: r.pair.correct, method: r.j.method })));
  console.log(`all: ${JSON.stringify(all)}`);
  if (opts.misses) {
    for (const r of results.filter((x) => x.split === 'dev' && x.j.correct !== x.pair.correct)) {
      console.log(
        `${r.pair.correct ? 'FN' : 'FP'} [${r.j.method}] ${r.pair.answer.replace(/\s+/g, ' ').slice(0, 140)} || ${r.pair.gold.replace(/\s+/g, ' ').slice(0, 100)} || ${JSON.stringify(r.j.evidence?.matches.map((m) => `${m.answer}~${m.gold}:${m.method}`))}`,
      );
    }
  }
}

void main();
