import { accessSync, constants } from 'node:fs';
import { resolve } from 'node:path';
import type { Params } from '../pacemaker-env.ts';
import { humanLine, humanSummary, jsonReport } from './report.ts';
import { runKit } from './run-kit.ts';
import type { KitOptions } from './types.ts';

export const TEST_AGENT_USAGE = `usage: ocfkit test-agent AGENT [-o key=value ...] [options]

Runs the OCF conformance checks against any resource agent executable (shell, Python, ocfkit)
and reports each check with what was expected and what was observed.

  -o, --option key=value     a parameter of an instance that works on this machine (repeatable)
  --never-starts key=value   a parameter under which start cannot succeed: runs the deadline check (repeatable)
  --reason REGEX             what the exit reason of that failed start must match
  --promotable               run as a promotable clone instance (promote/demote pairs, monitor 8)
  --timeout SECONDS          CRM_meta_timeout of each action (default 20)
  --instance NAME            OCF_RESOURCE_INSTANCE (default kit-test)
  --no-ocf-tester            do not also run resource-agents' ocf-tester
  --json                     print { "agent", "checks": [...], "summary" } instead of text

Exit status: 0 when no check failed, 1 when one did, 2 on a usage error.
Run as root: meta-data as nobody and the leftover tracking (a cgroup) need it.`;

export interface TestAgentArgs {
  options: KitOptions;
  json: boolean;
}

function keyValue(text: string | undefined, flag: string): [string, string] {
  const at = text?.indexOf('=') ?? -1;
  if (!text || at <= 0) throw new Error(`${flag} needs key=value, got ${text === undefined ? 'nothing' : `'${text}'`}`);
  return [text.slice(0, at), text.slice(at + 1)];
}

/** Parse `test-agent` arguments; throws an Error whose message is for the user. */
export function parseTestAgentArgs(argv: string[]): TestAgentArgs {
  const params: Params = {};
  const never: Params = {};
  let executable: string | undefined;
  let json = false;
  let promotable = false;
  let ocfTester = true;
  let reason: RegExp | undefined;
  let timeoutMs: number | undefined;
  let instance: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${arg} needs a value`);
      return argv[++i]!;
    };
    if (arg === '-o' || arg === '--option') {
      const [k, v] = keyValue(value(), arg);
      params[k] = v;
    } else if (arg === '--never-starts') {
      const [k, v] = keyValue(value(), arg);
      never[k] = v;
    } else if (arg === '--reason') reason = new RegExp(value());
    else if (arg === '--promotable') promotable = true;
    else if (arg === '--no-ocf-tester') ocfTester = false;
    else if (arg === '--json') json = true;
    else if (arg === '--instance') instance = value();
    else if (arg === '--timeout') {
      const seconds = Number(value());
      if (!(seconds > 0)) throw new Error('--timeout needs a number of seconds');
      timeoutMs = seconds * 1000;
    } else if (arg.startsWith('-')) throw new Error(`unknown option ${arg}`);
    else if (executable) throw new Error(`one agent at a time (got ${executable} and ${arg})`);
    else executable = resolve(arg);
  }
  if (!executable) throw new Error('which agent? give the path of its executable');
  accessSync(executable, constants.X_OK);
  const neverStarts = Object.keys(never).length ? { params: () => ({ ...params, ...never }), reason } : undefined;
  if (reason && !neverStarts) throw new Error('--reason goes with --never-starts');
  return { json, options: { executable, params: () => params, promotable, ocfTester, timeoutMs, instance, neverStarts } };
}

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

/** `ocfkit test-agent ...`: returns the exit status. */
export async function testAgent(argv: string[], io: Io = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) }): Promise<number> {
  if (argv.includes('-h') || argv.includes('--help')) {
    io.out(`${TEST_AGENT_USAGE}\n`);
    return 0;
  }
  let args: TestAgentArgs;
  try {
    args = parseTestAgentArgs(argv);
  } catch (error) {
    io.err(`ocfkit test-agent: ${(error as Error).message}\n\n${TEST_AGENT_USAGE}\n`);
    return 2;
  }
  const report = await runKit(args.options, args.json ? undefined : (result) => io.out(`${humanLine(result)}\n`));
  io.out(args.json ? jsonReport(report) : `${humanSummary(report)}\n`);
  return report.summary.fail > 0 ? 1 : 0;
}
