import { readCaseFile } from '../../stores/case-store';
import { BUNDLED_CASES_FILE } from '../../stores/bundled-cases';
import { answerKeyDoctor } from './answer-key-doctor';
import { startScriptedLlmServer } from './scripted-llm-server';

/**
 * The answer-key teacher as a standing server, to try exports and hard sets by hand without a paid
 * endpoint (docs/building.md shows its output):
 *
 *   npx tsx test/support/answer-key-server.ts [cases.jsonl] [port]
 *
 * then MEDACTION_LLM_BASE_URL=http://127.0.0.1:<port>/v1 MEDACTION_LLM_MODEL=scripted-doctor
 * MEDACTION_LLM_API_KEY=sk-local. It is right on two cases of three and wrong on the rest, on purpose.
 */
async function main(): Promise<void> {
  const file = process.argv[2] ?? BUNDLED_CASES_FILE;
  const port = Number(process.argv[3] ?? 18099);
  const server = await startScriptedLlmServer(answerKeyDoctor(readCaseFile(file)), ['scripted-doctor'], port);
  process.stdout.write(`answer-key doctor for ${file} at ${server.url}\n`);
}

void main();
