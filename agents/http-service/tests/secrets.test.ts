import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findCanaries, logSinks, runExecutable, type ExecutableResult } from '@ocfkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT, HELLO, freePort, requireBuilt, scratch } from './helpers/instance.ts';

// Exit reasons end up in the CIB, crm_mon and crm_report bundles; log lines in pacemaker.log and
// syslog. Canary secrets are planted everywhere an operator puts credentials (URL userinfo,
// request headers, the service's environment) and the built agent is run through its failures
// with every log sink on; no canary may appear in any reason, stderr, log or trace file.

const CANARY = {
  urlPass: 'CanaryUrlPass7',
  deepUrlPass: 'CanaryDeepPass7',
  bearer: 'CanaryBearer7',
  apiKey: 'CanaryApiKey7',
  envToken: 'CanaryEnvToken7',
  dbPass: 'CanaryDbPass7',
  quoted: 'Canary Quoted7',
};
const CANARIES = Object.values(CANARY);

const { dir, cleanup } = scratch();
const sinks = logSinks(join(dir, 'sinks'));
let port = 0;
const outputs: Record<string, string | undefined> = {};

const base = () => ({
  service_path: HELLO,
  service_args: `--port ${port} --tag ${dir}`,
  probe_url: `http://127.0.0.1:${port}/health`,
  probe_headers: `Host: app.example.com|Authorization: Bearer ${CANARY.bearer}|X-Api-Key: ${CANARY.apiKey}`,
  environment: `API_TOKEN=${CANARY.envToken} DB_URL=postgres://app:${CANARY.dbPass}@db.example.com/app SECRET='${CANARY.quoted}' PORT=${port}`,
  pidfile: join(dir, 'hello.pid'),
  log_file: join(dir, 'hello.log'),
  start_timeout: '3s',
});

/** Run one action with every sink on, keep all it said, and return the result. */
async function call(label: string, action: string, params: Record<string, string | undefined> = {}, env: Record<string, string> = {}): Promise<ExecutableResult> {
  const result = await runExecutable(AGENT, action, { params: { ...base(), ...params }, env: { ...sinks.env(), ...env } });
  outputs[`${label} reason`] = result.reason;
  outputs[`${label} stderr`] = result.stderr;
  outputs[`${label} stdout`] = result.stdout;
  return result;
}

beforeAll(async () => {
  requireBuilt();
  port = await freePort();
  // a service that dies at start saying what it was given, as a crashing program's last words do
  writeFileSync(join(dir, 'dies.sh'), '#!/bin/sh\necho "connecting with API_TOKEN=$API_TOKEN DB_URL=$DB_URL secret=$SECRET" >&2\nexit 1\n');
  chmodSync(join(dir, 'dies.sh'), 0o755);
});
afterAll(async () => {
  await call('cleanup stop', 'stop');
  cleanup();
});

describe('no secret in any reason, log or trace', () => {
  it('a URL with user:password@ in probe_url or deep_probe_url: 6, the password masked', async () => {
    const url = `http://alice:${CANARY.urlPass}@127.0.0.1:${port}/health`;
    const result = await call('userinfo validate', 'validate-all', { probe_url: url });
    expect(result.code).toBe(6);
    expect(result.reason).toBe(
      `parameter probe_url: expected an http://, https:// or http+unix:// URL without credentials in it (use probe_headers), got 'http://alice:***@127.0.0.1:${port}/health'`,
    );
    expect((await call('userinfo start', 'start', { probe_url: url })).code).toBe(6);
    expect((await call('userinfo probe', 'monitor', { probe_url: url })).code).toBe(7);
    const deep = `http://bob:${CANARY.deepUrlPass}@127.0.0.1:${port}/deep`;
    expect((await call('deep userinfo monitor', 'monitor', { deep_probe_url: deep }, { OCF_CHECK_LEVEL: '10' })).code).toBe(7);
    expect((await call('userinfo stop', 'stop', { probe_url: url })).code).toBe(0);
  });

  it('probe_headers and environment that do not parse: 6, their values masked', async () => {
    const headers = await call('bad headers', 'validate-all', { probe_headers: `Authorization: Bearer ${CANARY.bearer}|X-Api-Key ${CANARY.apiKey}` });
    expect(headers.code).toBe(6);
    expect(headers.reason).toBe('parameter probe_headers: expected "Name: value" headers separated by |, got \'Authorization: ***|***\'');
    const env = await call('bad environment', 'validate-all', { environment: `API_TOKEN=${CANARY.envToken} ${CANARY.dbPass}` });
    expect(env.code).toBe(6);
    expect(env.reason).toBe("parameter environment: expected KEY=VALUE words, got 'API_TOKEN=*** ***'");
    const unbalanced = await call('unbalanced environment', 'start', { environment: `SECRET='${CANARY.quoted}` });
    expect(unbalanced.code).toBe(6);
    expect(unbalanced.reason).toBe("parameter environment: expected KEY=VALUE words with balanced quotes, got '***'");
  });

  it('a service that dies at start quoting its environment: 1, its last words masked', async () => {
    const result = await call('dies', 'start', { service_path: join(dir, 'dies.sh') });
    expect(result.code).toBe(1);
    expect(result.reason).toContain('connecting with API_TOKEN=*** DB_URL=*** secret=***');
  });

  it('a probe that fails at start, then in monitor, with the headers sent', async () => {
    const unhealthy = await call('unhealthy start', 'start', { service_args: `--port ${port} --tag ${dir} --unhealthy` });
    expect(unhealthy.code).toBe(1);
    expect(unhealthy.reason).toMatch(/^start gave up after .*; health check http:\/\/127\.0\.0\.1:\d+\/health: status 503/);
    await call('unhealthy stop', 'stop');
    expect((await call('start', 'start')).code).toBe(0);
    const deep = await call('deep monitor', 'monitor', { deep_probe_url: `http://127.0.0.1:${port}/missing` }, { OCF_CHECK_LEVEL: '10' });
    expect(deep.code).toBe(1);
    expect((await call('monitor', 'monitor')).code).toBe(0);
    expect((await call('stop', 'stop')).code).toBe(0);
  });

  it('every sink was written, and none holds a canary', () => {
    const logs = sinks.read();
    // the sinks were really on: each got lines (else "no canary" would prove nothing)
    for (const [name, text] of Object.entries(logs)) expect(text, name).not.toBe('');
    expect(findCanaries({ ...outputs, ...logs }, CANARIES)).toEqual([]);
  });
});
