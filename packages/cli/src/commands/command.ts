/** What every file in commands/ exports. */
export interface Command {
  /** One line for `ocfkit --help`. */
  summary: string;
  /** The whole text of `ocfkit <command> --help`. */
  help: string;
  /** Runs with the arguments after the command's name; resolves to the exit status. */
  run(argv: string[]): Promise<number>;
}
