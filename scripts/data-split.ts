/**
 * The development / held-out split of the judged answers and of the extra MedR-Bench cases: a case is
 * held out when the first hex digit of the SHA-256 of its id is 8 or above (about half). The judge and
 * the linker are tuned on the development half only; figures on the held-out half are reported beside them.
 */
import { createHash } from 'node:crypto';

export type Split = 'dev' | 'held-out';

export function splitOf(caseId: string): Split {
  const digit = Number.parseInt(createHash('sha256').update(caseId).digest('hex').slice(0, 1), 16);
  return digit >= 8 ? 'held-out' : 'dev';
}
