import { execaSync } from 'execa';

/**
 * Run a build tool; its output when it fails. `env`, when given, is the tool's whole environment
 * (a chroot or a reproducible build gets nothing of ours); `timeout` in ms; `cwd`, `input`.
 */
export function run(cmd, args, { env, timeout, cwd, input } = {}) {
  const r = execaSync(cmd, args, { env, extendEnv: env === undefined, timeout, cwd, input, maxBuffer: 64 << 20, stripFinalNewline: false, reject: false });
  if (r.exitCode === undefined && r.signal === undefined) throw new Error(`${cmd}: ${r.originalMessage || r.shortMessage}`);
  if (r.timedOut) throw new Error(`${cmd} ${args.join(' ')}: no result within ${timeout} ms:\n${r.stdout}${r.stderr}`);
  if (r.exitCode !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.signal ? `signal ${r.signal}` : `exit ${r.exitCode}`}):\n${r.stdout}${r.stderr}`);
  return r.stdout;
}
