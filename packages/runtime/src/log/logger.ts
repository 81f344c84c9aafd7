import type { LogSink } from './sink.ts';

type Env = Readonly<Record<string, string | undefined>>;
export type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error';
export type Fields = Record<string, unknown>;

export interface Logger {
  trace(msg: string, fields?: Fields): void;
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
}

const ON = /^(1|yes|true|on)$/i;

export interface LogSettings {
  /** `agent(instance)[pid]`, as resource-agents' shell agents tag their lines. */
  tag: string;
  level: Level;
  /** Where `trace` lines go when OCF_TRACE_RA is on: a path, or a file descriptor number. */
  traceTo?: string;
  env: Env;
  /** Applied to every line before any sink gets it: the call's secrets become `***`. */
  mask?: (text: string) => string;
}

export function logSettings(env: Env, agent: string, instance: string, pid = process.pid, mask?: (text: string) => string): LogSettings {
  const tracing = ON.test(env.OCF_TRACE_RA ?? '') || ON.test(env.OCF_RESKEY_trace_ra ?? '');
  const debugging = ON.test(env.HA_debug ?? '') || ON.test(env.PCMK_debug ?? '');
  return {
    tag: `${agent}(${instance})[${pid}]`,
    level: tracing ? 'trace' : debugging ? 'debug' : 'info',
    traceTo: tracing ? (env.OCF_TRACE_FILE ?? '2') : undefined,
    env,
    mask,
  };
}

const ORDER: Record<Level, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50 };

export interface RuntimeLogger extends Logger {
  /** Resolves when every line so far is written (the async loading path only). */
  flush(): Promise<void>;
}

type SinkFactory = (settings: LogSettings) => LogSink;
let syncLoader: (() => SinkFactory) | undefined;

/**
 * The bundle's entry registers a synchronous loader (a plain `require`, which esbuild wraps so
 * pino is evaluated only on that call). Without one (tests running TypeScript sources), the sink
 * is imported on first use and lines wait in a queue until `flush()`.
 */
export function registerSinkLoader(load: () => SinkFactory): void {
  syncLoader = load;
}

/**
 * A logger that costs nothing until the first line at an enabled level: a monitor with nothing to
 * say never loads pino (about 14 M instructions to parse and 55 M to start it, measured bundled).
 */
export function createLogger(settings: LogSettings): RuntimeLogger {
  let sink: LogSink | undefined;
  let pending: Promise<void> | undefined;
  const queue: Array<[Level, string, Fields | undefined]> = [];
  const emit = (level: Level) => (msg: string, fields?: Fields) => {
    if (ORDER[level] < ORDER[settings.level]) return;
    if (!sink && syncLoader) sink = syncLoader()(settings);
    if (sink) return sink.write(level, msg, fields);
    queue.push([level, msg, fields]);
    pending ??= import('./sink.ts').then(({ createSink }) => {
      sink = createSink(settings);
      for (const [l, m, f] of queue.splice(0)) sink.write(l, m, f);
    });
  };
  return {
    trace: emit('trace'),
    debug: emit('debug'),
    info: emit('info'),
    warn: emit('warn'),
    error: emit('error'),
    flush: async () => {
      await pending;
    },
  };
}

/** For tests and libraries that take a logger but have nothing to log to. */
export const silentLogger: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
