import { hash32 } from '../random';
import type { TokenUsage } from '../tree/node';
import { conversation, repairRequest, type ChatMessage } from './prompts';
import { parseTurn, type DoctorTurn } from './turn';
import type { PolicyContext } from './context';

/** One chat completion request, as the doctor asks for it; the transport adds model and endpoint. */
export interface CompletionRequest {
  messages: ChatMessage[];
  temperature: number;
  seed: number;
  /** The reply must be a turn whose action is a final diagnosis (the last allowed turn). */
  finalOnly: boolean;
  /** Which candidate at which node, and whether this is the repair request: part of the response-store key. */
  branchPath: string;
  candidate: number;
  attempt: 'first' | 'repair';
}

export interface Completion {
  content: string;
  usage: TokenUsage;
  /** The model's reasoning trace, when the server returns one beside the content (`reasoning_content`). */
  reasoning?: string;
}

export type Complete = (request: CompletionRequest) => Promise<Completion>;

export type CandidateOutcome =
  | { index: number; turn: DoctorTurn; usage: TokenUsage; requests: number; trace?: string }
  | { index: number; error: string; usage: TokenUsage; requests: number; reply?: string };

/** The sampling seed of candidate i at a node: stable for a build seed and path, different per candidate. */
export function candidateSeed(buildSeed: number, path: string, index: number): number {
  return hash32(`${buildSeed}|${path}|${index}`) & 0x7fffffff;
}

/**
 * The LLM doctor: k candidate turns at a node, each its own request with its own seed. A reply that is
 * not a valid turn gets one repair request (the reply and what was wrong with it); if that reply is
 * still invalid, the candidate fails with both problems stated — a failed branch, never a silent drop.
 * Transport errors (rate limits, 5xx, timeouts) are not caught here: they propagate, and Temporal retries.
 */
export async function proposeWithLlm(
  complete: Complete,
  context: PolicyContext,
  k: number,
  temperature: number,
): Promise<CandidateOutcome[]> {
  const finalOnly = context.past.length + 1 >= context.maxTurns;
  const messages = conversation(context.o1, context.past, context.maxTurns);
  const outcomes: CandidateOutcome[] = [];
  for (let index = 0; index < k; index++) {
    const base = {
      temperature,
      seed: candidateSeed(context.seed, context.path, index),
      finalOnly,
      branchPath: context.path,
      candidate: index,
    };
    const first = await complete({ ...base, messages, attempt: 'first' });
    const parsed = parseTurn(first.content, finalOnly);
    if ('turn' in parsed) {
      outcomes.push({ index, turn: parsed.turn, usage: first.usage, requests: 1, ...traceOf(first) });
      continue;
    }
    const repairMessages: ChatMessage[] = [
      ...messages,
      { role: 'assistant', content: first.content },
      { role: 'user', content: repairRequest(parsed.problems) },
    ];
    const second = await complete({ ...base, messages: repairMessages, attempt: 'repair' });
    const usage = {
      prompt: first.usage.prompt + second.usage.prompt,
      completion: first.usage.completion + second.usage.completion,
    };
    const repaired = parseTurn(second.content, finalOnly);
    if ('turn' in repaired) {
      outcomes.push({ index, turn: repaired.turn, usage, requests: 2, ...traceOf(second) });
      continue;
    }
    outcomes.push({
      index,
      error: `invalid reply after a repair request: ${oneLine(repaired.problems)} (first reply: ${oneLine(parsed.problems)})`,
      usage,
      requests: 2,
      reply: truncated(second.content),
    });
  }
  return outcomes;
}

/** The reasoning trace of the reply a turn came from, when the server gave one. */
function traceOf(reply: Completion): { trace?: string } {
  return reply.reasoning ? { trace: reply.reasoning } : {};
}

/** How much of an invalid reply a rejected record keeps. */
export const INVALID_REPLY_CHARS = 2000;

function truncated(text: string): string {
  return text.length > INVALID_REPLY_CHARS ? `${text.slice(0, INVALID_REPLY_CHARS)}…` : text;
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 300)}…` : flat;
}
