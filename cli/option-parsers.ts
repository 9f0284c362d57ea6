import { UserError } from '../core/errors';

/** Commander argument parsers: a bad value is a usage error (exit code 2) naming the flag. */

export const positiveInt = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UserError(`${name} must be a positive integer, got "${value}"`, 2);
  return n;
};

export const integer = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new UserError(`${name} must be an integer, got "${value}"`, 2);
  return n;
};

/** A share in [0, 1] (a DTC or RAC threshold). */
export const share = (name: string) => (value: string) => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1)
    throw new UserError(`${name} must be a number from 0 to 1, got "${value}"`, 2);
  return n;
};

/** A comma-separated list of values, each one of `choices`. */
export const listOf =
  <T extends string>(name: string, choices: readonly T[]) =>
  (value: string): T[] => {
    const items = value
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean);
    const bad = items.find((v) => !choices.includes(v as T));
    if (bad !== undefined || items.length === 0)
      throw new UserError(`${name} takes a comma-separated list of ${choices.join(', ')}; got "${value}"`, 2);
    return [...new Set(items)] as T[];
  };
