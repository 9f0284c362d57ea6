import { UNAVAILABLE } from '../oracle/oracle';
import type { OrderResult } from '../tree/node';
import type { DoctorTurn } from './turn';

/**
 * The conversation a doctor policy sees and the fine-tuning data records: the same text for both, so a
 * model trained on the dataset meets at inference exactly what the teacher saw. Changing any wording
 * here changes every prompt; bump PROMPTS_VERSION so builds and cached responses tell them apart.
 */
export const PROMPTS_VERSION = 'doctor-v1';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
  /**
   * On a recorded assistant turn: the model's reasoning trace before it (the field DeepSeek, vLLM and the
   * chat templates of reasoning models use). Never sent back to a model.
   */
  reasoning_content?: string;
}

/** A message as the chat formats without a trace field take it: role and content. */
export function withoutTrace(m: ChatMessage): ChatMessage {
  return { role: m.role, content: m.content };
}

/** A turn already taken on the way to the current node, with the oracle's answers to its orders. */
export interface PastStep {
  turn: DoctorTurn;
  results: OrderResult[];
}

export function systemPrompt(maxTurns: number): string {
  return [
    'You are a physician working up a patient step by step. You see the initial presentation; you may order',
    'tests and examinations, and you receive only results that exist for this patient (a test whose result is',
    'not available comes back as UNAVAILABLE). After each set of results, revise your differential diagnosis.',
    `You have at most ${maxTurns} turns; on the last one you must give a final diagnosis.`,
    '',
    'Reply with one JSON object and nothing else:',
    '{"reasoning": "<your clinical reasoning for this step>",',
    ' "differential": [{"diagnosis": "<disease>", "likelihood": <0..1>}, ...],   // most likely first, 1-10 entries',
    ' "action": {"type": "order_tests", "tests": ["<test>", ...], "rationale": "<why these tests>"}',
    '        or {"type": "final_diagnosis", "diagnosis": "<disease>"}}',
    'Order specific tests (e.g. "complete blood count", "MRI of the brain"), at most 8 at a time.',
  ].join('\n');
}

function turnNote(turnIndex: number, maxTurns: number): string {
  const note = `Turn ${turnIndex + 1} of ${maxTurns}.`;
  return turnIndex + 1 >= maxTurns ? `${note} This is your last turn: give your final diagnosis.` : note;
}

export function renderResults(results: OrderResult[]): string {
  const lines = ['Results:'];
  for (const r of results) {
    if (r.status === 'unavailable' || r.items.length === 0) {
      lines.push(`- ${r.test}: ${UNAVAILABLE}`);
      continue;
    }
    lines.push(`- ${r.test}:`);
    for (const item of r.items) lines.push(`  ${item.name}: ${item.result}`);
  }
  return lines.join('\n');
}

/** A turn as the assistant writes it: the JSON object, keys in schema order. */
export function renderTurn(turn: DoctorTurn): string {
  const action =
    turn.action.type === 'order_tests'
      ? { type: turn.action.type, tests: turn.action.tests, rationale: turn.action.rationale }
      : { type: turn.action.type, diagnosis: turn.action.diagnosis };
  return JSON.stringify({
    reasoning: turn.reasoning,
    differential: turn.differential.map((d) => ({ diagnosis: d.diagnosis, likelihood: d.likelihood })),
    action,
  });
}

/**
 * The messages that lead to the next turn: system prompt, the initial observation, then each past turn
 * and the oracle's answer to it. The user message before each turn says which turn it is.
 */
export function conversation(o1: string, past: PastStep[], maxTurns: number): ChatMessage[] {
  const messages: ChatMessage[] = [
    { role: 'system', content: systemPrompt(maxTurns) },
    { role: 'user', content: `Initial presentation:\n${o1}\n\n${turnNote(0, maxTurns)}` },
  ];
  past.forEach((step, i) => {
    messages.push({ role: 'assistant', content: renderTurn(step.turn) });
    if (step.turn.action.type === 'order_tests') {
      messages.push({ role: 'user', content: `${renderResults(step.results)}\n\n${turnNote(i + 1, maxTurns)}` });
    }
  });
  return messages;
}

/** The follow-up when a reply cannot be used: what was wrong, and the request to answer again. */
export function repairRequest(problems: string): string {
  return [
    'Your reply could not be used:',
    problems,
    'Reply again with only the JSON object described in the instructions, with every field filled in.',
  ].join('\n');
}
