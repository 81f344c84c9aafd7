import { describe, expect, it } from 'vitest';
import { OcfError } from '../ocf-error.ts';
import { param } from './declare.ts';
import { parseParams } from './parse.ts';

const params = {
  binary: param.string({ default: '/usr/bin/x', shortdesc: 'b' }),
  config: param.string({ required: true, shortdesc: 'c' }),
  port: param.port({ default: 6379, shortdesc: 'p' }),
  verbose: param.boolean({ default: false, shortdesc: 'v' }),
  grace: param.duration({ default: '10s', shortdesc: 'g' }),
  mode: param.select({ options: ['fast', 'safe'], default: 'safe', shortdesc: 'm' }),
  pidfile: param.string({ default: ({ instance, values }) => `/run/${values.binary === '/usr/bin/x' ? 'x' : 'y'}-${instance}.pid`, defaultText: '/run/x-<instance>.pid', shortdesc: 'p' }),
  old_port: param.integer({ shortdesc: 'old', deprecated: { replacedWith: 'port' } }),
  extra: param.string({ shortdesc: 'optional, no default' }),
  data: param.path({ shortdesc: 'd', directory: true }),
  socket: param.path({ shortdesc: 's', check: (value) => (value.endsWith('.sock') ? undefined : 'a path ending in .sock') }),
};
const input = { instance: 'r1', agent: 'demo' };
const env = (vars: Record<string, string>) => Object.fromEntries(Object.entries(vars).map(([k, v]) => [`OCF_RESKEY_${k}`, v]));

function failure(fn: () => unknown): OcfError {
  try {
    fn();
  } catch (error) {
    return error as OcfError;
  }
  throw new Error('expected a failure');
}

describe('parseParams', () => {
  it('applies every default, typed, since Pacemaker passes none', () => {
    const values = parseParams(params, env({ config: '/etc/x.conf' }), input);
    expect(values).toEqual({ binary: '/usr/bin/x', config: '/etc/x.conf', port: 6379, verbose: false, grace: 10_000, mode: 'safe', pidfile: '/run/x-r1.pid' });
  });
  it('parses what is set', () => {
    const values = parseParams(params, env({ config: 'c', port: '7000', verbose: 'YES', grace: '500ms', mode: 'fast', binary: '/opt/y' }), input);
    expect(values).toMatchObject({ port: 7000, verbose: true, grace: 500, mode: 'fast', pidfile: '/run/y-r1.pid' });
  });
  it.for(['yes', 'true', '1', 'on', 'Y', 'TRUE'])('reads %s as true', (text) => {
    expect(parseParams(params, env({ config: 'c', verbose: text }), input).verbose).toBe(true);
  });
  it('treats an empty value as unset', () => {
    expect(parseParams(params, env({ config: 'c', port: '' }), input).port).toBe(6379);
  });
  it('feeds a deprecated parameter into its replacement', () => {
    expect(parseParams(params, env({ config: 'c', old_port: '7777' }), input).port).toBe(7777);
  });
  it('names a missing required parameter (exit 6)', () => {
    const error = failure(() => parseParams(params, {}, input));
    expect(error.code).toBe(6);
    expect(error.reason).toBe('parameter config is required but not set');
  });
  it.for([
    ['port', 'http', "parameter port: expected an integer from 1 to 65535, got 'http'"],
    ['port', '70000', "parameter port: expected an integer from 1 to 65535, got '70000'"],
    ['verbose', 'maybe', "parameter verbose: expected a boolean (yes/no, true/false, 1/0, on/off), got 'maybe'"],
    ['grace', 'soon', "parameter grace: expected a duration such as 10s, 500ms or 2min, got 'soon'"],
    ['mode', 'turbo', "parameter mode: expected one of fast, safe, got 'turbo'"],
    ['data', 'var/lib/x', "parameter data: expected an absolute directory, got 'var/lib/x'"],
    ['socket', 'run/x.sock', "parameter socket: expected an absolute path, got 'run/x.sock'"],
    ['socket', '/run/x.pid', "parameter socket: expected a path ending in .sock, got '/run/x.pid'"],
  ] as const)('rejects %s=%s with a reason naming it', ([name, value, reason]) => {
    const error = failure(() => parseParams(params, env({ config: 'c', [name]: value }), input));
    expect(error.code).toBe(6);
    expect(error.reason).toBe(reason);
  });
  it('takes an absolute path as it is written', () => {
    expect(parseParams(params, env({ config: 'c', data: '/var/lib/x/', socket: '/run/x.sock' }), input)).toMatchObject({ data: '/var/lib/x/', socket: '/run/x.sock' });
  });
  it('hides the value of a secret parameter in the reason', () => {
    const secret = { pass: param.integer({ shortdesc: 's', secret: true }) };
    expect(failure(() => parseParams(secret, env({ pass: 'hunter2' }), input)).reason).toBe('parameter pass: expected an integer, got (hidden)');
  });
});
