import { withoutTrace, type ChatMessage } from '../policy/prompts';
import { hash32 } from '../random';

/**
 * A trajectory's conversation in the formats trainers read (issue 20, part 1). Pure: records in, rows
 * out. The reasoning trace stays out of the formats that have no field for it.
 */

export type TrainerFormat = 'messages' | 'openai' | 'sharegpt' | 'trl';
export const TRAINER_FORMATS: readonly TrainerFormat[] = ['messages', 'openai', 'sharegpt', 'trl'];

/** What a conversion needs of a trajectory record. */
export interface ConversationRecord {
  id: string;
  messages: ChatMessage[];
}

/** OpenAI fine-tuning chat JSONL: `{"messages": [...]}`, roles system/user/assistant, content only. */
export function openAiRow(record: ConversationRecord): { messages: { role: ChatMessage['role']; content: string }[] } {
  return { messages: record.messages.map(withoutTrace) };
}

const SHAREGPT_ROLE = { system: 'system', user: 'human', assistant: 'gpt' } as const;

/** ShareGPT (LLaMA-Factory, Axolotl): `{"conversations": [{"from": "system"|"human"|"gpt", "value"}]}`. */
export function shareGptRow(record: ConversationRecord): { conversations: { from: string; value: string }[] } {
  return { conversations: record.messages.map((m) => ({ from: SHAREGPT_ROLE[m.role], value: m.content })) };
}

/** One TRL prompt-completion row per assistant turn: the conversation up to it, and the turn itself. */
export interface TrlRow {
  prompt: ChatMessage[];
  completion: ChatMessage[];
  trajectory_id: string;
  /** The assistant turn's index in the trajectory (0 = the first). */
  turn: number;
}

export function trlRows(record: ConversationRecord, reasoning: 'include' | 'omit' = 'include'): TrlRow[] {
  const rows: TrlRow[] = [];
  record.messages.forEach((m, i) => {
    if (m.role !== 'assistant') return;
    const completion =
      reasoning === 'include' && m.reasoning_content
        ? { ...withoutTrace(m), reasoning_content: m.reasoning_content }
        : withoutTrace(m);
    rows.push({
      prompt: record.messages.slice(0, i).map(withoutTrace),
      completion: [completion],
      trajectory_id: record.id,
      turn: rows.length,
    });
  });
  return rows;
}

/**
 * Tells trajectories whose assistant turns are the same as an earlier one's (in the order they are
 * offered): two paths that said the same things teach the same thing twice. Holds a 64-bit digest per
 * trajectory, not its text, so a 32K-trajectory export stays small.
 */
export class Deduplicator {
  private readonly seen = new Set<string>();

  /** True when an earlier record had the same assistant turns; the first of them is remembered. */
  isDuplicate(record: ConversationRecord): boolean {
    const key = JSON.stringify(record.messages.filter((m) => m.role === 'assistant').map((m) => m.content));
    const digest = `${hash32(`a|${key}`).toString(36)}.${hash32(`b|${key}`).toString(36)}.${key.length}`;
    if (this.seen.has(digest)) return true;
    this.seen.add(digest);
    return false;
  }
}

export function dedupTrajectories<R extends ConversationRecord>(records: R[]): { kept: R[]; dropped: number } {
  const dedup = new Deduplicator();
  const kept = records.filter((r) => !dedup.isDuplicate(r));
  return { kept, dropped: records.length - kept.length };
}
