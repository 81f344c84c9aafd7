// Parameters are declared once, as data. Metadata, parsing of OCF_RESKEY_*, defaults, validation
// and the README's parameter table all come from these declarations: there is no second place
// where a default or a type could disagree with the first (the trap resource-agents' own ocf.py
// example falls into).

import { parseDuration } from './duration.ts';

export type ParamKind = 'string' | 'path' | 'integer' | 'boolean' | 'duration' | 'select';

/** What a computed default can see: the instance name and the parameters resolved so far. */
export interface DefaultInput {
  readonly instance: string;
  readonly agent: string;
  readonly values: Readonly<Record<string, unknown>>;
}

export interface ParamOptions<T> {
  /** One line, shown by `pcs resource describe` and `crm ra info`. */
  shortdesc: string;
  /** The whole story: what it does, what happens when unset, examples. */
  longdesc?: string;
  required?: boolean;
  /**
   * Applied by the agent (Pacemaker never passes metadata defaults). A function computes it from
   * other parameters or the instance name, evaluated after every plain default.
   */
  default?: T | ((input: DefaultInput) => T | undefined);
  /** How a computed default reads in metadata and docs, e.g. "/run/redis/<instance>.pid". */
  defaultText?: string;
  /** Must differ between resources of this agent (OCF 1.0 `unique`). */
  unique?: boolean;
  /** Parameters of one group must differ as a combination (OCF 1.1 `unique-group`). */
  uniqueGroup?: string;
  /** Changing it needs no restart: `reload-agent` applies it (OCF 1.1). */
  reloadable?: boolean;
  /** Still accepted; when `replacedWith` is set, its value feeds that parameter if unset. */
  deprecated?: { replacedWith?: string; desc?: string };
  /**
   * What of the value is secret, declared here once: the runtime masks it (as `***`) in exit
   * reasons, every log line and trace files. `true`: the whole value (and no default in the
   * metadata). A function: the secret parts of a raw value (each header's value, a password
   * inside a connection string), or undefined when it cannot tell, and then the whole value is.
   *
   * Not rendered in the metadata: Pacemaker's controller reads a `private="1"` parameter attribute
   * (it keeps such values out of the operation digests it records), but neither ra-api-1.dtd
   * (ocf-tester) nor the OCF 1.1 schema pcs checks allows it, and an agent whose metadata fails
   * them, and pcs reports metadata that fails its schema as invalid. `cibsecret` keeps a value
   * out of the CIB whatever the metadata says.
   */
  secret?: boolean | SecretParts;
}

/** The secret substrings of a parameter's raw value; undefined: all of it is secret. */
export type SecretParts = (raw: string) => readonly string[] | undefined;

interface Common {
  readonly shortdesc: string;
  readonly longdesc?: string;
  readonly required: boolean;
  readonly defaultText?: string;
  readonly unique: boolean;
  readonly uniqueGroup?: string;
  readonly reloadable: boolean;
  readonly deprecated?: { replacedWith?: string; desc?: string };
  /** The whole value is secret. */
  readonly secret: boolean;
  /** Only these parts of the value are (see ParamOptions.secret). */
  readonly secretParts?: SecretParts;
}

/**
 * A declared parameter. `T` is the parsed type, `Present` whether a value is always there
 * (required, or with a default) so that the context's types say when to expect `undefined`.
 */
export interface Param<T = unknown, Present extends boolean = boolean> extends Common {
  readonly kind: ParamKind;
  /** The raw default as declared: a string for durations ("10s"), the value otherwise. */
  readonly default?: unknown;
  readonly options?: readonly string[];
  readonly min?: number;
  readonly max?: number;
  /** A `path` that names a directory (the words of its docs and its reason when relative). */
  readonly directory?: boolean;
  /** Extra syntax check: returns what was expected, or undefined when the value is fine. */
  check?(value: T): string | undefined;
  /** Phantom field carrying the types; never set. */
  readonly __type?: { value: T; present: Present };
}

type HasValue<O> = O extends { required: true } ? true : O extends { default: unknown } ? true : false;

function common<T>(options: ParamOptions<T>): Common & { default?: unknown } {
  return {
    shortdesc: options.shortdesc,
    longdesc: options.longdesc,
    required: options.required ?? false,
    default: options.default,
    defaultText: options.defaultText,
    unique: options.unique ?? false,
    uniqueGroup: options.uniqueGroup,
    reloadable: options.reloadable ?? false,
    deprecated: options.deprecated,
    secret: options.secret === true,
    secretParts: typeof options.secret === 'function' ? options.secret : undefined,
  };
}

export interface StringOptions extends ParamOptions<string> {
  check?: (value: string) => string | undefined;
}
export interface PathOptions extends StringOptions {
  /** It names a directory: "an absolute directory" in the reason and the docs. */
  directory?: boolean;
}
export interface IntegerOptions extends ParamOptions<number> {
  min?: number;
  max?: number;
}
export interface DurationOptions extends Omit<ParamOptions<string>, 'default'> {
  /** As an operator would write it: "10s", "500ms", "2m", or a bare number of seconds. */
  default?: string | ((input: DefaultInput) => string | undefined);
  min?: string;
  max?: string;
}
export interface SelectOptions<O extends string> extends ParamOptions<O> {
  options: readonly O[];
}

export const param = {
  string<const O extends StringOptions>(options: O): Param<string, HasValue<O>> {
    return { kind: 'string', ...common(options), check: options.check };
  },
  /**
   * An absolute path. Pacemaker runs agents in /var/lib/pacemaker/cores, so a relative path names
   * a file nobody meant, on every node: parsing refuses it (6, naming the parameter). OCF has no
   * path type: the metadata says `string`.
   */
  path<const O extends PathOptions>(options: O): Param<string, HasValue<O>> {
    return { kind: 'path', ...common(options), directory: options.directory ?? false, check: options.check };
  },
  integer<const O extends IntegerOptions>(options: O): Param<number, HasValue<O>> {
    return { kind: 'integer', ...common(options), min: options.min, max: options.max };
  },
  /** A TCP/UDP port: an integer from 1 to 65535. */
  port<const O extends ParamOptions<number>>(options: O): Param<number, HasValue<O>> {
    return { kind: 'integer', ...common(options), min: 1, max: 65535 };
  },
  /** yes/no, true/false, 1/0, on/off (any case), as resource-agents' ocf_is_true reads them. */
  boolean<const O extends ParamOptions<boolean>>(options: O): Param<boolean, HasValue<O>> {
    return { kind: 'boolean', ...common(options) };
  },
  /** A span of time, parsed to milliseconds. */
  duration<const O extends DurationOptions>(options: O): Param<number, HasValue<O>> {
    return {
      kind: 'duration',
      ...common(options as ParamOptions<unknown>),
      min: options.min === undefined ? undefined : parseDurationOrThrow(options.min),
      max: options.max === undefined ? undefined : parseDurationOrThrow(options.max),
    };
  },
  select<const V extends string, const O extends SelectOptions<V>>(options: O & { options: readonly V[] }): Param<V, HasValue<O>> {
    return { kind: 'select', ...common(options), options: options.options };
  },
};

export type ParamMap = Record<string, Param>;

/** The parsed values of a parameter map, as an action sees them. */
export type Values<P extends ParamMap> = {
  readonly [K in keyof P]: P[K] extends Param<infer T, infer Present> ? (Present extends true ? T : T | undefined) : never;
};

function parseDurationOrThrow(text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new Error(`invalid duration in declaration: ${text}`);
  return ms;
}
