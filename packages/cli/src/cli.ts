import { CliError, EXIT } from './cli-error.ts';
import { COMMANDS } from './commands/index.ts';

const wantsHelp = (argv: string[]) => {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some((a) => a === '--help' || a === '-h');
};

async function overview(): Promise<string> {
  const lines = ['Usage: ocfkit <command> [options]', '', 'Commands:'];
  for (const [name, load] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(12)} ${(await load()).summary}`);
  lines.push('', 'Run `ocfkit <command> --help` for the options of one command.');
  return `${lines.join('\n')}\n`;
}

/** `ocfkit ARGS`: resolves to the exit status; every message is already written. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process[name === undefined ? 'stderr' : 'stdout'].write(await overview());
    return name === undefined ? EXIT.USAGE : EXIT.OK;
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!load) {
    process.stderr.write(`ocfkit: unknown command "${name}" (commands: ${Object.keys(COMMANDS).join(', ')})\n`);
    return EXIT.USAGE;
  }
  const command = await load();
  if (wantsHelp(rest)) {
    process.stdout.write(command.help.endsWith('\n') ? command.help : `${command.help}\n`);
    return EXIT.OK;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof CliError) {
      process.stderr.write(`ocfkit ${name}: ${error.message}\n`);
      return error.exitCode;
    }
    // parseArgs: unknown option, missing value, unexpected argument
    if ((error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`ocfkit ${name}: ${(error as Error).message} (see ocfkit ${name} --help)\n`);
      return EXIT.USAGE;
    }
    throw error;
  }
}
