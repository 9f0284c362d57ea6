import type { ChatMessage } from '../policy/prompts';
import { repairRequest } from '../policy/prompts';
import type { DiagnosisJudge, JudgeInput, Judgement } from './judge';
import { judgeMessages, parseJudgement } from './judge-prompt';

/** The judge's reply stayed invalid after a repair request: asking again cannot help. */
export class JudgeReplyError extends Error {
  override name = 'JudgeReplyError';
}

/** Sends messages to the judge model and returns its reply text (through the response store). */
export type JudgeComplete = (messages: ChatMessage[], attempt: 'first' | 'repair') => Promise<string>;

/** An LLM judge behind the DiagnosisJudge interface: one request per final diagnosis, one repair at most. */
export class LlmJudge implements DiagnosisJudge {
  readonly name: string;

  constructor(
    private readonly complete: JudgeComplete,
    model: string,
  ) {
    this.name = `llm:${model}`;
  }

  async judge(input: JudgeInput): Promise<Judgement> {
    const messages = judgeMessages(input.final, input.gold);
    const first = await this.complete(messages, 'first');
    const parsed = parseJudgement(first);
    if ('correct' in parsed) return { correct: parsed.correct, method: this.name };
    const again = await this.complete(
      [...messages, { role: 'assistant', content: first }, { role: 'user', content: repairRequest(parsed.problems) }],
      'repair',
    );
    const repaired = parseJudgement(again);
    if ('correct' in repaired) return { correct: repaired.correct, method: this.name };
    throw new JudgeReplyError(
      `the LLM judge's reply is invalid after a repair request: ${repaired.problems.replace(/\s+/g, ' ')}`,
    );
  }
}
