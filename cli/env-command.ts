import { Command } from 'commander';
import { TestMenuOracle } from '../core/oracle/oracle';
import { findCase, readCaseFile } from '../stores/case-store';
import { emit } from './output';

export function envCommand(): Command {
  const env = new Command('env').description("a case's environment: ask its oracle as a doctor would");

  env
    .command('ask')
    .description("answer an order with the case's real results, or UNAVAILABLE (never an invented result)")
    .requiredOption('--cases <cases.jsonl>', 'canonical case file')
    .requiredOption('--case <id>', 'case id')
    .argument('<order>', 'free-text order, e.g. "CBC and CMP" or "CT head with contrast"')
    .option('--allow-catch-all', 'answer catch-all orders ("labs", "imaging") with every item of their kind')
    .option('--json', 'print one JSON object')
    .action((order: string, opts: { cases: string; case: string; allowCatchAll?: boolean; json?: boolean }) => {
      const c = findCase(readCaseFile(opts.cases), opts.case, opts.cases);
      const answer = new TestMenuOracle(c, { allowCatchAll: opts.allowCatchAll === true }).explain(order);
      const result = {
        case: c.id,
        order,
        status: answer.status,
        // Which rule found each item (lexicon, modality_region, word_overlap, …), or why none was returned.
        items: answer.items.map((i) => ({
          id: i.id,
          name: i.name,
          category: i.category,
          result: i.result,
          // The result cut to the sentences about the tests ordered (the rest reports other tests).
          excerpt: i.excerpt === true,
          matched_by: answer.matchedBy[i.id] ?? null,
        })),
        matched_by: [...new Set(Object.values(answer.matchedBy))],
        ...(answer.unavailableBecause ? { unavailable_because: answer.unavailableBecause } : {}),
      };
      emit(Boolean(opts.json), result, (r) =>
        r.status === 'unavailable' ? 'UNAVAILABLE' : r.items.map((i) => `[${i.category}] ${i.name}: ${i.result}`).join('\n'),
      );
    });

  return env;
}
