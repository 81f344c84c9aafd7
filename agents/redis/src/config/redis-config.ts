import { isAbsolute, resolve } from 'node:path';
import { OcfError } from '@ocfkit/runtime';
import { loadDirectivesCached, type CacheOptions } from './directive-cache.ts';
import { COMMAND_LINE, loadDirectives, variant, type Directive } from './directives.ts';

export type { Directive } from './directives.ts';

// What the agent needs to know of a redis.conf: how to reach the server (port, TLS, socket), how
// to authenticate, where the data lives and how it persists. Read as redis-server reads it (see
// directives.ts): includes, quoting, last value wins, old names (slaveof, slave-priority)
// meaning the new ones.
//
// Failures, and why those codes: a config file is a node-local file. Missing (on this node: not
// deployed yet, a shared mount absent) is OCF_ERR_INSTALLED, so Pacemaker runs the resource on
// another node instead of stopping it cluster-wide as OCF_ERR_CONFIGURED would. Unreadable is
// OCF_ERR_PERM (also node-local). Text Redis itself would refuse (unbalanced quotes, a port that
// is not a number) is OCF_ERR_CONFIGURED: it is wrong as written.

export interface SavePoint {
  readonly seconds: number;
  readonly changes: number;
}

export interface TlsConfig {
  readonly certFile?: string;
  readonly keyFile?: string;
  readonly caCertFile?: string;
  readonly caCertDir?: string;
  /** Certificate and key a replica presents to its primary (default: certFile/keyFile). */
  readonly clientCertFile?: string;
  readonly clientKeyFile?: string;
  /** Replicas reach their primary over TLS. */
  readonly replication: boolean;
  readonly authClients: 'yes' | 'no' | 'optional';
}

export interface RedisConfig {
  /** The main file, absolute. */
  readonly file: string;
  /** Every file read (main, then includes), absolute. */
  readonly files: readonly string[];
  /** The last occurrence of each directive, by its current name (`replicaof`, not `slaveof`). */
  readonly directives: ReadonlyMap<string, Directive>;
  readonly requirepass?: string;
  readonly masterauth?: string;
  readonly masteruser?: string;
  /** 0: no plain TCP listener. */
  readonly port: number;
  /** 0: no TLS listener. */
  readonly tlsPort: number;
  readonly bind: readonly string[];
  /** Absolute (relative paths are relative to `dir`, where the server runs). */
  readonly unixsocket?: string;
  readonly tls: TlsConfig;
  /** The server's working directory: where the RDB and AOF files live. Absolute. */
  readonly dir: string;
  readonly dbfilename: string;
  readonly appendonly: boolean;
  /** RDB snapshot points; empty means no snapshots (`save ""`). */
  readonly save: readonly SavePoint[];
  readonly replicaPriority: number;
  /** A static `replicaof` in the file: it fights the cluster's choice of primary. */
  readonly replicaof?: { readonly host: string; readonly port: number };
  readonly pidfile?: string;
  /** Undefined: logs to stdout (Redis's `logfile ""`). */
  readonly logfile?: string;
  /** rename-command: original name (lower case) to new name; '' means disabled. */
  readonly renamedCommands: ReadonlyMap<string, string>;
  /**
   * Every credential the files hold (requirepass, masterauth, ACL passwords and hashes, TLS key
   * passphrases, renamed commands), as read and as written: for ctx.secret, so that no reason or
   * log line shows them, even quoted by redis-server.
   */
  readonly secrets: readonly string[];
}

export interface ReadOptions {
  /** The directory redis-server starts in (relative includes and `dir` start here). Default: process.cwd(). */
  cwd?: string;
  /** Command-line options as redis-server gets them after the file: `[['unixsocket', '/run/r.sock']]`. */
  overrides?: ReadonlyArray<readonly string[]>;
  /** Keep the directives read in this file and reuse them while the files are unchanged (directive-cache.ts). */
  cache?: CacheOptions;
}

/** Old names Redis still accepts, and the names they stand for. */
const ALIASES: Record<string, string> = {
  slaveof: 'replicaof',
  'slave-priority': 'replica-priority',
  'slave-read-only': 'replica-read-only',
  'slave-serve-stale-data': 'replica-serve-stale-data',
  'slave-announce-ip': 'replica-announce-ip',
  'slave-announce-port': 'replica-announce-port',
};

const DEFAULT_SAVE: SavePoint[] = [
  { seconds: 3600, changes: 1 },
  { seconds: 300, changes: 100 },
  { seconds: 60, changes: 10000 },
];

function at(d: Directive): string {
  return d.file === COMMAND_LINE ? `command line option --${d.name}` : `config ${d.file} line ${d.line}`;
}

function single(d: Directive, secret = false): string {
  if (d.args.length !== 1) throw OcfError.configured(`${at(d)}: ${d.name} takes one value, got ${d.args.length}`);
  if (secret && d.lossy) {
    throw OcfError.configured(`${at(d)}: ${d.name} contains bytes that are not UTF-8 (\\x escapes); not supported`);
  }
  return d.args[0]!;
}

function integer(d: Directive, min: number, max: number): number {
  const text = single(d);
  if (!/^-?\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw OcfError.configured(`${at(d)}: ${d.name} must be an integer from ${min} to ${max}, got '${text}'`);
  }
  return Number(text);
}

function yesNo(d: Directive): boolean {
  const text = single(d).toLowerCase();
  if (text !== 'yes' && text !== 'no') throw OcfError.configured(`${at(d)}: ${d.name} must be yes or no, got '${single(d)}'`);
  return text === 'yes';
}

/**
 * Redis's `save` rules (config.c, setConfigSaveOption): `save ""` clears; while a file is being
 * read, the first `save` replaces the defaults and later ones add to it; once an `include` has
 * been read (see Directive.readingConfigFile), each `save` replaces what was there.
 */
function savePoints(directives: readonly Directive[]): SavePoint[] {
  let points = DEFAULT_SAVE;
  let loaded = false;
  for (const d of directives) {
    if (d.name !== 'save') continue;
    const args = d.args.length === 1 && d.args[0] === '' ? [] : d.args;
    if (args.length % 2 !== 0) throw OcfError.configured(`${at(d)}: save takes pairs of <seconds> <changes>`);
    for (let i = 0; i < args.length; i += 2) {
      const [seconds, changes] = [args[i]!, args[i + 1]!];
      if (!/^\d+$/.test(seconds) || !/^\d+$/.test(changes) || Number(seconds) < 1) {
        throw OcfError.configured(`${at(d)}: save takes pairs of <seconds> <changes>, got '${seconds} ${changes}'`);
      }
    }
    if (args.length !== d.args.length) points = [];
    if (!d.readingConfigFile) points = [];
    else if (!loaded) {
      loaded = true;
      points = [];
    }
    for (let i = 0; i < args.length; i += 2) points = [...points, { seconds: Number(args[i]), changes: Number(args[i + 1]) }];
  }
  return points;
}

/** Read a redis.conf (with its includes and the command-line options that follow it) as redis-server would. */
export async function readRedisConfig(file: string, options: ReadOptions = {}): Promise<RedisConfig> {
  const source = { file, cwd: options.cwd ?? process.cwd(), overrides: options.overrides ?? [] };
  const loaded = options.cache ? await loadDirectivesCached(source, options.cache) : await loadDirectives(source.file, source.cwd, source.overrides);
  const last = new Map<string, Directive>();
  const renamed = new Map<string, string>();
  for (const raw of loaded.directives) {
    const name = ALIASES[raw.name] ?? raw.name;
    const d = name === raw.name ? raw : variant(raw, { name });
    last.set(name, d);
    if (name === 'rename-command') {
      if (d.args.length !== 2) throw OcfError.configured(`${at(d)}: rename-command takes a command and its new name`);
      renamed.set(d.args[0]!.toLowerCase(), d.args[1]!);
    }
  }
  const get = (name: string) => last.get(name);
  const text = (name: string, secret = false) => {
    const d = get(name);
    const value = d === undefined ? undefined : single(d, secret);
    return value === '' ? undefined : value;
  };
  const dir = loaded.cwd;
  const path = (name: string) => {
    const value = text(name);
    return value === undefined ? undefined : isAbsolute(value) ? value : resolve(dir, value);
  };

  const port = get('port');
  const tlsPort = get('tls-port');
  const priority = get('replica-priority');
  const appendonly = get('appendonly');
  const tlsReplication = get('tls-replication');
  const authClients = text('tls-auth-clients')?.toLowerCase() ?? 'yes';
  if (authClients !== 'yes' && authClients !== 'no' && authClients !== 'optional') {
    throw OcfError.configured(`${at(get('tls-auth-clients')!)}: tls-auth-clients must be yes, no or optional`);
  }
  const replicaof = get('replicaof');
  let primary: RedisConfig['replicaof'];
  if (replicaof) {
    if (replicaof.args.length !== 2) throw OcfError.configured(`${at(replicaof)}: replicaof takes <host> <port>`);
    const [host, p] = replicaof.args as [string, string];
    // `replicaof no one` in a file means "primary", like the command
    if (!(host.toLowerCase() === 'no' && p.toLowerCase() === 'one')) {
      const d = variant(replicaof, { args: [p] });
      primary = { host, port: integer(d, 0, 65535) };
    }
  }
  const bind = get('bind');

  return {
    file: loaded.file,
    files: loaded.files,
    directives: last,
    requirepass: text('requirepass', true),
    masterauth: text('masterauth', true),
    masteruser: text('masteruser'),
    port: port ? integer(port, 0, 65535) : 6379,
    tlsPort: tlsPort ? integer(tlsPort, 0, 65535) : 0,
    bind: bind ? bind.args.filter((a) => a !== '') : ['*', '-::*'],
    unixsocket: path('unixsocket'),
    tls: {
      certFile: path('tls-cert-file'),
      keyFile: path('tls-key-file'),
      caCertFile: path('tls-ca-cert-file'),
      caCertDir: path('tls-ca-cert-dir'),
      clientCertFile: path('tls-client-cert-file'),
      clientKeyFile: path('tls-client-key-file'),
      replication: tlsReplication ? yesNo(tlsReplication) : false,
      authClients,
    },
    dir,
    dbfilename: text('dbfilename') ?? 'dump.rdb',
    appendonly: appendonly ? yesNo(appendonly) : false,
    save: savePoints(loaded.directives),
    replicaPriority: priority ? integer(priority, 0, 2 ** 31 - 1) : 100,
    replicaof: primary,
    pidfile: path('pidfile'),
    logfile: path('logfile'),
    renamedCommands: renamed,
    secrets: loaded.secrets,
  };
}

/** The name to send for a command, after rename-command; undefined when it was disabled (renamed to ""). */
export function commandAs(config: Pick<RedisConfig, 'renamedCommands'>, command: string): string | undefined {
  const renamed = config.renamedCommands.get(command.toLowerCase());
  if (renamed === undefined) return command;
  return renamed === '' ? undefined : renamed;
}
