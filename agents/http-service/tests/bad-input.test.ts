import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runExecutable } from '@ocfkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT, HELLO, freePort, requireBuilt, scratch } from './helpers/instance.ts';

// Every mistake an operator can make gets the right code and a reason that says what to fix.
const { dir, cleanup } = scratch();
let port = 0;
const good = () => ({
  service_path: HELLO,
  service_args: `--port ${port} --tag ${dir}`,
  probe_url: `http://127.0.0.1:${port}/health`,
  pidfile: join(dir, 'hello.pid'),
  log_file: join(dir, 'hello.log'),
});
const run = (action: string, params: Record<string, string | undefined>, meta: Record<string, number> = {}) =>
  runExecutable(AGENT, action, { params: { ...good(), ...params }, meta });

beforeAll(async () => {
  requireBuilt();
  port = await freePort();
  writeFileSync(join(dir, 'not-executable'), '#!/bin/sh\n');
  chmodSync(join(dir, 'not-executable'), 0o644);
  mkdirSync(join(dir, 'a-directory'));
});
afterAll(async () => {
  await run('stop', {});
  cleanup();
});

describe('validate-all', () => {
  it.for([
    ['service_path', undefined, 6, 'parameter service_path is required but not set'],
    ['probe_url', undefined, 6, 'parameter probe_url is required but not set'],
    ['service_path', 'bin/app', 6, "parameter service_path: expected an absolute path, got 'bin/app'"],
    ['probe_url', 'ftp://x/', 6, "parameter probe_url: expected an http://, https:// or http+unix:// URL, got 'ftp://x/'"],
    ['probe_url', 'http+unix://rel.sock/', 6, 'parameter probe_url: expected http+unix://%2Fabsolute%2Fpath.sock/path'],
    ['expect_status', '2xx', 6, "parameter expect_status: expected status codes or ranges such as 200,204 or 200-399, got '2xx'"],
    ['expect_body', '(unclosed', 6, 'parameter expect_body: expected a valid regular expression'],
    ['probe_timeout', 'soon', 6, "parameter probe_timeout: expected a duration such as 10s, 500ms or 2min, got 'soon'"],
    ['probe_method', 'POST', 6, "parameter probe_method: expected one of GET, HEAD, got 'POST'"],
    ['daemonize', 'maybe', 6, "parameter daemonize: expected a boolean (yes/no, true/false, 1/0, on/off), got 'maybe'"],
    ['service_args', '--name "unbalanced', 6, 'parameter service_args: expected words with balanced quotes'],
    ['environment', 'NOEQUALS', 6, "parameter environment: expected KEY=VALUE words, got 'NOEQUALS'"],
    ['probe_headers', 'no colon here', 6, 'parameter probe_headers: expected "Name: value" headers separated by |'],
    ['service_path', '/nonexistent/app', 5, 'service_path: /nonexistent/app not found'],
    ['user', 'no-such-user-ocfkit', 5, 'user no-such-user-ocfkit does not exist'],
    ['group', 'no-such-group-ocfkit', 5, 'group no-such-group-ocfkit does not exist'],
    ['workdir', '/nonexistent-dir', 5, 'workdir /nonexistent-dir is not a directory'],
    ['tls_ca_file', '/nonexistent/ca.pem', 5, 'tls_ca_file /nonexistent/ca.pem: does not exist'],
  ] as const)('%s=%s: %i', async ([name, value, code, reason]) => {
    const params: Record<string, string | undefined> = { [name]: value };
    if (name === 'tls_ca_file') params.probe_url = `https://127.0.0.1:${port}/health`;
    const result = await run('validate-all', params);
    expect(result.code).toBe(code);
    expect(result.reason).toContain(reason);
    expect(result.stdout).toBe('');
  });

  it('a program that is not executable: 5', async () => {
    const result = await run('validate-all', { service_path: join(dir, 'not-executable') });
    expect(result.code).toBe(5);
    expect(result.reason).toBe(`service_path: ${join(dir, 'not-executable')} is not executable`);
  });
  it('a directory as the program: 5', async () => {
    const result = await run('validate-all', { service_path: join(dir, 'a-directory') });
    expect(result.code).toBe(5);
    expect(result.reason).toBe(`service_path: ${join(dir, 'a-directory')} is a directory`);
  });
  it('expect_body with HEAD: 6', async () => {
    const result = await run('validate-all', { expect_body: 'ok', probe_method: 'HEAD' });
    expect(result).toMatchObject({ code: 6, reason: 'expect_body needs probe_method=GET: a HEAD response has no body' });
  });
  it('a client certificate without its key: 6', async () => {
    const result = await run('validate-all', { tls_cert_file: join(dir, 'c.pem') });
    expect(result).toMatchObject({ code: 6, reason: 'tls_cert_file and tls_key_file go together: set both or neither' });
  });
});

describe('start refuses what validate-all refuses, before touching anything', () => {
  it('missing program: 5, nothing started', async () => {
    const result = await run('start', { service_path: '/nonexistent/app' });
    expect(result).toMatchObject({ code: 5, reason: 'service_path: /nonexistent/app not found' });
  });
});

describe('monitor', () => {
  it('a probe of a bad configuration is 7, a recurring monitor of it 1 with the reason', async () => {
    expect((await run('monitor', { probe_timeout: 'soon' })).code).toBe(7);
    const recurring = await run('monitor', { probe_timeout: 'soon' }, { interval: 10000 });
    expect(recurring.code).toBe(1);
    expect(recurring.reason).toContain('parameter probe_timeout');
  });
});
