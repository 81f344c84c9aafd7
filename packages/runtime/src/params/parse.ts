import { isAbsolute } from 'node:path';
import { OcfError } from '../ocf-error.ts';
import type { Param, ParamMap, Values } from './declare.ts';
import { parseDuration } from './duration.ts';

const TRUE = new Set(['yes', 'true', '1', 'on', 'y']);
const FALSE = new Set(['no', 'false', '0', 'off', 'n']);

type Env = Readonly<Record<string, string | undefined>>;

export function envName(name: string): string {
  return `OCF_RESKEY_${name}`;
}

/** Parse one raw value; returns the value or throws OCF_ERR_CONFIGURED naming what was expected. */
export function parseValue(name: string, spec: Param, raw: string): unknown {
  const text = raw.trim();
  const fail = (expected: string): never => {
    const shown = spec.secret ? '(hidden)' : `'${raw}'`;
    throw OcfError.configured(`parameter ${name}: expected ${expected}, got ${shown}`);
  };
  switch (spec.kind) {
    case 'path':
    case 'string': {
      if (spec.kind === 'path' && !isAbsolute(raw)) fail(spec.directory ? 'an absolute directory' : 'an absolute path');
      const problem = (spec.check as ((v: string) => string | undefined) | undefined)?.(raw);
      if (problem) fail(problem);
      return raw;
    }
    case 'integer': {
      if (!/^[+-]?\d+$/.test(text)) fail(rangeText('an integer', spec));
      const value = Number(text);
      if ((spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max)) {
        fail(rangeText('an integer', spec));
      }
      return value;
    }
    case 'boolean': {
      const lower = text.toLowerCase();
      if (TRUE.has(lower)) return true;
      if (FALSE.has(lower)) return false;
      return fail('a boolean (yes/no, true/false, 1/0, on/off)');
    }
    case 'duration': {
      const ms = parseDuration(text);
      if (ms === undefined) fail('a duration such as 10s, 500ms or 2min');
      if ((spec.min !== undefined && ms! < spec.min) || (spec.max !== undefined && ms! > spec.max)) {
        fail(rangeText('a duration', spec, true));
      }
      return ms;
    }
    case 'select': {
      if (!spec.options!.includes(text)) fail(`one of ${spec.options!.join(', ')}`);
      return text;
    }
  }
}

function rangeText(what: string, spec: Param, duration = false): string {
  const show = (n: number) => (duration ? `${n}ms` : String(n));
  if (spec.min !== undefined && spec.max !== undefined) return `${what} from ${show(spec.min)} to ${show(spec.max)}`;
  if (spec.min !== undefined) return `${what} of at least ${show(spec.min)}`;
  if (spec.max !== undefined) return `${what} of at most ${show(spec.max)}`;
  return what;
}

function parseDefault(name: string, spec: Param, value: unknown): unknown {
  // durations are declared the way operators write them; everything else is already typed
  return spec.kind === 'duration' && typeof value === 'string' ? parseValue(name, spec, value) : value;
}

/**
 * Read every declared parameter from OCF_RESKEY_*, apply defaults (Pacemaker does not), and
 * check types and required ones. An empty value counts as unset, as `pcs resource update x p=`
 * means "remove". Throws OCF_ERR_CONFIGURED with a reason naming the parameter.
 */
export function parseParams<P extends ParamMap>(params: P, env: Env, input: { instance: string; agent: string }): Values<P> {
  const values: Record<string, unknown> = {};
  const rawOf = (name: string): string | undefined => {
    const raw = env[envName(name)];
    return raw === undefined || raw.trim() === '' ? undefined : raw;
  };
  const computed: string[] = [];
  // a deprecated parameter still set in an old CIB feeds its replacement
  const replaced = new Map<string, string>();
  for (const [name, spec] of Object.entries(params)) {
    const to = spec.deprecated?.replacedWith;
    if (to !== undefined && !replaced.has(to)) replaced.set(to, name);
  }

  for (const [name, spec] of Object.entries(params)) {
    let raw = rawOf(name);
    const old = raw === undefined ? replaced.get(name) : undefined;
    if (old !== undefined) raw = rawOf(old);
    if (raw !== undefined) {
      values[name] = parseValue(name, spec, raw);
    } else if (typeof spec.default === 'function') {
      computed.push(name);
    } else if (spec.default !== undefined) {
      values[name] = parseDefault(name, spec, spec.default);
    }
  }
  for (const name of computed) {
    const spec = params[name]!;
    const fn = spec.default as (i: { instance: string; agent: string; values: Record<string, unknown> }) => unknown;
    const value = fn({ ...input, values });
    if (value !== undefined) values[name] = parseDefault(name, spec, value);
  }
  for (const [name, spec] of Object.entries(params)) {
    if (spec.required && values[name] === undefined) {
      throw OcfError.configured(`parameter ${name} is required but not set`);
    }
  }
  return values as Values<P>;
}
