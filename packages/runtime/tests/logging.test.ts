import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM tool without types
import { bundle } from '../../../tools/bundle/src/bundle.mjs';

// Logging as a bundled agent does it, in a fresh process that exits right after the action:
// every line must be on disk by then (written synchronously), in ha_log's format.
const here = dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'ocfkit-log-'));
const agent = join(dir, 'demo');

function run(action: string, env: Record<string, string>) {
  return spawnSync(agent, [action], {
    env: { PATH: '/usr/bin:/bin', OCFKIT_CODE_CACHE: 'off', OCF_RESOURCE_INSTANCE: 'd1', OCF_RESKEY_state: '/x', ...env },
    encoding: 'utf8',
  });
}

beforeAll(async () => {
  chmodSync(dir, 0o755);
  const entry = join(dir, 'main.ts');
  writeFileSync(entry, `import { runAgent } from '${here}/../src/run.ts';\nimport agent from '${here}/fixtures/demo-agent.ts';\nrunAgent(agent);\n`);
  await bundle({ entry, outfile: agent });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('logging of a bundled agent', () => {
  it('writes failures to HA_LOGFILE as ha_log lines tagged agent(instance)[pid]', () => {
    const log = join(dir, 'ha.log');
    const result = run('start', { HA_LOGFILE: log, OCF_RESKEY_mode: 'b' });
    expect(result.status).toBe(4);
    expect(readFileSync(log, 'utf8')).toMatch(/^demo-agent\(d1\)\[\d+\]:\t\d{4}\/\d\d\/\d\d_\d\d:\d\d:\d\d ERROR: mode b needs root: run as root rc=4\n$/);
    expect(result.stderr).toBe('ocf-exit-reason:mode b needs root: run as root\n');
  });
  it('falls back to PCMK_logfile, and to stderr without any file', () => {
    const log = join(dir, 'pcmk.log');
    run('start', { PCMK_logfile: log, OCF_RESKEY_mode: 'b' });
    expect(readFileSync(log, 'utf8')).toContain('ERROR: mode b needs root');
    const bare = run('start', { OCF_RESKEY_mode: 'b' });
    expect(bare.stderr).toMatch(/^demo-agent\(d1\)\[\d+\]:\t.* ERROR: mode b needs root: run as root rc=4\nocf-exit-reason:mode b needs root: run as root\n$/);
  });
  it('traces every step to OCF_TRACE_FILE with OCF_TRACE_RA=1', () => {
    const trace = join(dir, 'trace.log');
    expect(run('monitor', { OCF_TRACE_RA: '1', OCF_TRACE_FILE: trace }).status).toBe(7);
    const lines = readFileSync(trace, 'utf8').trim().split('\n');
    expect(lines[0]).toMatch(/TRACE: monitor begins budgetMs=10000 interval=0 checkLevel=0$/);
    expect(lines[1]).toMatch(/TRACE: monitor ends rc=7 name=OCF_NOT_RUNNING/);
  });
  it('a monitor with nothing to say writes nothing anywhere', () => {
    const log = join(dir, 'quiet.log');
    const result = run('monitor', { HA_LOGFILE: log, PCMK_debug: 'no' });
    expect(result.status).toBe(7);
    expect(result.stderr).toBe('');
    expect(existsSync(log)).toBe(false);
  });
  it('writes debug lines only with HA_debug/PCMK_debug, to HA_DEBUGLOG when set', () => {
    const log = join(dir, 'debug.log');
    const debuglog = join(dir, 'debug-only.log');
    run('stop', { HA_LOGFILE: log });
    expect(existsSync(log)).toBe(false);
    run('stop', { HA_LOGFILE: log, PCMK_debug: 'yes' });
    expect(readFileSync(log, 'utf8')).toMatch(/DEBUG: nothing to stop state=\/x\n$/);
    run('stop', { HA_LOGFILE: log, HA_debug: '1', HA_DEBUGLOG: debuglog });
    expect(readFileSync(debuglog, 'utf8')).toMatch(/DEBUG: nothing to stop state=\/x\n$/);
  });
  it("with OCFKIT_JSON_LOG, also writes each line as one JSON object of pino's shape", () => {
    const log = join(dir, 'ha-json.log');
    const json = join(dir, 'json', 'agent.json');
    expect(run('start', { HA_LOGFILE: log, OCFKIT_JSON_LOG: json, OCF_RESKEY_mode: 'b' }).status).toBe(4);
    expect(readFileSync(log, 'utf8')).toContain('ERROR: mode b needs root: run as root rc=4');
    const lines = readFileSync(json, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(lines).toEqual([
      { level: 50, time: expect.any(Number), pid: expect.any(Number), hostname: expect.any(String), agent: 'demo-agent', instance: 'd1', rc: 4, msg: 'mode b needs root: run as root' },
    ]);
  });
  it('logs a degraded monitor as a warning, with its reason', () => {
    const log = join(dir, 'warn.log');
    const result = run('monitor', { HA_LOGFILE: log, OCF_RESKEY_level: '8' });
    expect(result.status).toBe(190);
    expect(readFileSync(log, 'utf8')).toContain('WARN: level 8 is degraded rc=190');
  });
});
