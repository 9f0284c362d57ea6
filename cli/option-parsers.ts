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
