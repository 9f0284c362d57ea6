/**
 * An error whose message is written for the user: the CLI prints it as is, without a stack trace,
 * and exits with `exitCode`. Anything else that escapes is a bug and is printed with its stack
 * (under --debug) or with a hint to rerun with --debug.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'UserError';
  }
}
