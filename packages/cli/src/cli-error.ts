/** Exit codes: 0 done, 1 something failed (the message says what to fix), 2 wrong usage. */
export const EXIT = { OK: 0, FAILED: 1, USAGE: 2 } as const;

/** The one error type of the CLI: the message is for the operator, the code is the exit status. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.FAILED,
  ) {
    super(message);
  }

  static usage(message: string): CliError {
    return new CliError(message, EXIT.USAGE);
  }
}
