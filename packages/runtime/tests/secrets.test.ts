import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findCanaries, logSinks } from '@ocfkit/testkit';
// @ts-expect-error plain ESM tool without types
import { bundle } from '../../../tools/bundle/src/bundle.mjs';
import { execute } from '../src/execute.ts';
import { renderMetadata } from '../src/metadata/render.ts';
import fixture from './fixtures/secret-agent.ts';

// A bundled agent that tries to say its secrets everywhere, run in a fresh process as Pacemaker
// runs it: every sink (HA_LOGFILE, HA_DEBUGLOG, syslog, stderr, the trace file, the JSON log) and the exit
// reason must show *** instead.
const here = dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'h2-secrets-'));
const agent = join(dir, 'secret-agent');
const CANARY = { password: 'CanaryPassword7', token: 'CanaryToken7', found: 'CanaryFound"7', spaced: 'Canary Spaced7' };
const canaries = [...Object.values(CANARY), JSON.stringify(CANARY.found).slice(1, -1), encodeURIComponent(CANARY.found)];

function run(action: string, env: Record<string, string>) {
  return spawnSync(agent, [action], {
    env: {
      PATH: '/usr/bin:/bin',
      OCFKIT_CODE_CACHE: 'off',
      OCF_RESOURCE_INSTANCE: 's1',
      OCF_RESKEY_password: CANARY.password,
      OCF_RESKEY_tokens: `a=${CANARY.token},b=${CANARY.spaced}`,
      OCF_RESKEY_found: join(dir, 'found'),
      ...env,
    },
    encoding: 'utf8',
  });
}

beforeAll(async () => {
  chmodSync(dir, 0o755);
  writeFileSync(join(dir, 'found'), `${CANARY.found}\n`);
  const entry = join(dir, 'main.ts');
  writeFileSync(entry, `import { runAgent } from '${here}/../src/run.ts';\nimport agent from '${here}/fixtures/secret-agent.ts';\nrunAgent(agent);\n`);
  await bundle({ entry, outfile: agent });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('secrets of a bundled agent', () => {
  it.for(['reason', 'throw', 'crash', 'log'] as const)('fails by %s: no sink and no reason shows a secret', (how) => {
    const sinks = logSinks(join(dir, `sinks-${how}`));
    const jsonLog = join(dir, `sinks-${how}`, 'json.log');
    const result = run('start', { ...sinks.env('/usr/bin:/bin'), OCFKIT_JSON_LOG: jsonLog, OCF_RESKEY_how: how });
    expect(result.status).toBe(how === 'log' ? 0 : 1);
    const logs: Record<string, string> = { ...sinks.read(), json: existsSync(jsonLog) ? readFileSync(jsonLog, 'utf8') : '' };
    for (const [name, text] of Object.entries(logs)) expect(text, name).not.toBe('');
    expect(findCanaries({ stderr: result.stderr, stdout: result.stdout, ...logs }, canaries)).toEqual([]);
    if (how === 'reason') {
      expect(result.stderr).toBe(
        'ocf-exit-reason:cannot start: password ***, tokens a=***,b=***, found ***, url https://u:***@example.com/x\n',
      );
      expect(logs.debuglog).toContain('password=*** found=*** nested={"list":["***","\\"***\\""]}');
    }
    if (how === 'crash') expect(result.stderr).toMatch(/ocf-exit-reason:start crashed: crash: password \*\*\*, /);
  });

  it('without a log file: the lines on stderr are masked too', () => {
    const result = run('start', { HA_debug: '1' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('DEBUG: debug: password ***');
    expect(findCanaries({ stderr: result.stderr }, canaries)).toEqual([]);
  });

  it('a secret parameter that fails its check: 6, and its value is never quoted', () => {
    const result = run('start', { OCF_RESKEY_password: 'short' });
    expect(result.status).toBe(6);
    expect(result.stderr).toBe('ocf-exit-reason:parameter password: expected at least 8 characters, got (hidden)\n');
  });
});

describe('in process (the test kit path)', () => {
  it('execute returns the reason masked', async () => {
    const env = { OCF_RESOURCE_INSTANCE: 's1', OCF_RESKEY_password: CANARY.password, OCF_RESKEY_tokens: `a=${CANARY.token}`, OCF_RESKEY_how: 'reason' };
    const outcome = await execute(fixture, 'start', env);
    expect(outcome).toEqual({ code: 1, reason: 'cannot start: password ***, tokens a=***, found , url https://u:***@example.com/x' });
  });

  it('metadata: a secret parameter shows no default; one with secret parts keeps its default', () => {
    const xml = renderMetadata(fixture, 'ocf-1.1');
    expect(xml).toMatch(/<parameter name="password"[^>]*>[\s\S]*?<content type="string"\/>/);
    expect(xml).toMatch(/<parameter name="tokens"[^>]*>[\s\S]*?<content type="string" default=""\/>/);
    expect(xml).not.toContain('private');
  });
});
