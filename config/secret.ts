import { inspect } from 'node:util';

/**
 * A configuration value that must never reach a log, a report or a Temporal history.
 * Printing, string interpolation, JSON serialisation and util.inspect all show a placeholder;
 * only `reveal()` returns the value, and it is called where a client is constructed.
 */
export class Secret {
  static readonly PLACEHOLDER = '[redacted]';
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return Secret.PLACEHOLDER;
  }

  toJSON(): string {
    return Secret.PLACEHOLDER;
  }

  [inspect.custom](): string {
    return Secret.PLACEHOLDER;
  }
}
