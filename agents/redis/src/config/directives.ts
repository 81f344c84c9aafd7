import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { OcfError } from '@ocfkit/runtime';
import { expandGlob, isPattern } from './glob.ts';
import { directiveSecrets, holdsSecrets } from './secret-directives.ts';
import { splitArgs, type SplitLine } from './split-args.ts';

// Reads redis.conf into its directives the way redis-server does (config.c, loadServerConfig):
// - lines are trimmed of " \t\r\n"; empty lines and lines starting with '#' are skipped;
// - the directive name is case-insensitive; its words are split by sdssplitargs;
// - `include PATH` is read in place, PATH relative to the server's *current directory* (fopen),
//   not to the including file; a pattern (Redis 7) reads every match, sorted, and none is fine;
// - `dir` changes that directory as soon as it is read (chdir), so it moves later relative
//   includes, and every relative path used after loading (unixsocket, pidfile, TLS files);
// - command-line options (`redis-server FILE --port 7000`) come after the whole file.

/**
 * One directive as written: name lower-cased, words unquoted. `line` may be counted when read:
 * copy one with `variant`, not a spread.
 */
export interface Directive {
  readonly name: string;
  readonly args: readonly string[];
  /** Where it was read: a file path, or `command line`. */
  readonly file: string;
  readonly line: number;
  /** A word is not valid UTF-8 (a \xHH escape): its text is not byte-exact. */
  readonly lossy: boolean;
  /**
   * Redis's `reading_config_file` flag when the line was applied. Every file read sets it and
   * clears it when done, so after an `include` the rest of the including file (and the
   * command-line options) is applied as if by CONFIG SET: that changes how `save` lines add up.
   */
  readonly readingConfigFile: boolean;
}

/** `d` with another name or other words (a spread would drop a line counted on demand). */
export function variant(d: Directive, change: { readonly name?: string; readonly args?: readonly string[] }): Directive {
  return { name: d.name, args: d.args, file: d.file, line: d.line, lossy: d.lossy, readingConfigFile: d.readingConfigFile, ...change };
}

export interface LoadedDirectives {
  /** The main file, absolute (resolved against `cwd`). */
  readonly file: string;
  readonly directives: readonly Directive[];
  /** Every file read, in the order read. */
  readonly files: readonly string[];
  /** The server's working directory once everything is read (the effective `dir`). */
  readonly cwd: string;
  /** Credentials written in the files (passwords, key passphrases...), as read and as written: see secret-directives.ts. */
  readonly secrets: readonly string[];
  /** An include pattern was expanded: which files were read depends on directory listings too. */
  readonly globbed: boolean;
}

interface Origin {
  readonly file: string;
  readonly line: number;
}

interface State {
  cwd: string;
  directives: Directive[];
  files: string[];
  /** Files being read right now, outermost first: an include of one of them never ends. */
  stack: string[];
  readingConfigFile: boolean;
  secrets: string[];
  globbed: boolean;
}

export const COMMAND_LINE = 'command line';

function where(origin: Origin): string {
  return origin.file === COMMAND_LINE ? 'command line' : `${origin.file} line ${origin.line}`;
}

/** Read failures as the operator should read them, with the OCF code that fits (see redis-config.ts). */
function readError(path: string, error: NodeJS.ErrnoException, from: Origin | undefined): OcfError {
  const what = from ? `${path} (included from ${where(from)})` : `config ${path}`;
  switch (error.code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return OcfError.installed(from ? `cannot read ${what}: no such file` : `${what} does not exist`, { cause: error });
    case 'EACCES':
    case 'EPERM':
      return OcfError.perm(`cannot read ${what}: permission denied`, { cause: error });
    case 'EISDIR':
      return OcfError.configured(`cannot read ${what}: is a directory`, { cause: error });
    default:
      return OcfError.generic(`cannot read ${what}: ${error.message}`, { cause: error });
  }
}

/** One file's bytes, or the matches of a pattern concatenated as Redis concatenates them. */
async function readSource(path: string, from: Origin | undefined): Promise<Array<{ file: string; bytes: Buffer }>> {
  const paths = isPattern(path) ? expandGlob(path) : [path];
  const out = [];
  for (const file of paths) {
    try {
      // synchronous on purpose: loading fs/promises costs a monitor ~2 ms of CPU, and these files are small
      out.push({ file, bytes: readFileSync(file) });
    } catch (error) {
      throw readError(file, error as NodeJS.ErrnoException, from);
    }
  }
  return out;
}

/**
 * A directive line: up to " \t\r" blanks, then anything but a comment. One native regex pass
 * over the text finds them; a 100 KB redis.conf is mostly comments, and walking it line by line
 * in JavaScript cost a monitor some 80 M instructions (measured) against a few here.
 */
const DIRECTIVE_LINE = /^[ \t\r]*([^# \t\r\n][^\n]*)/gm;
const TRAILING_BLANKS = /[ \t\r]+$/;

/**
 * Where a line of concatenated files starts. Its number in its file is counted only when read (a
 * reason names it): counting every newline of a 100 KB redis.conf (2,300 lines, mostly comments)
 * on every call costs either a JavaScript loop long enough for Node 22 and later to compile it
 * with their optimizing JIT (3 ms of CPU per monitor, measured) or, counted natively, enough
 * allocation to cost Node 20's monitor a garbage collection. A class, not a closure per line,
 * for the same reason.
 */
class LineStart implements Origin {
  constructor(
    readonly file: string,
    private readonly text: string,
    private readonly fileStart: number,
    private readonly at: number,
  ) {}

  get line(): number {
    let line = 1;
    for (let nl = this.text.indexOf('\n', this.fileStart); nl !== -1 && nl < this.at; nl = this.text.indexOf('\n', nl + 1)) line++;
    return line;
  }
}

/** A directive read from a file or the command line: its line is its origin's, counted on demand. */
class ReadDirective implements Directive {
  readonly file: string;

  constructor(
    readonly name: string,
    readonly args: readonly string[],
    private readonly origin: Origin,
    readonly lossy: boolean,
    readonly readingConfigFile: boolean,
  ) {
    this.file = origin.file;
  }

  get line(): number {
    return this.origin.line;
  }
}

/**
 * The directive lines of concatenated files, each with the file and line it came from. Lines are
 * latin1 strings (one char per byte: the bytes survive for splitArgs).
 */
function* lines(sources: Array<{ file: string; bytes: Buffer }>): Generator<{ text: string; origin: Origin }> {
  // Redis concatenates the matches of a pattern before splitting lines: a file without a final
  // newline runs into the next one. Keep that, and report the line's start.
  const all = sources.map((s) => s.bytes.toString('latin1')).join('');
  const ends: number[] = [];
  let offset = 0;
  for (const s of sources) ends.push((offset += s.bytes.length));
  let index = 0;
  // a regex of its own: an include reads another file while this one is half-way through
  const directive = new RegExp(DIRECTIVE_LINE);
  for (let match = directive.exec(all); match; match = directive.exec(all)) {
    const at = match.index;
    while (index + 1 < ends.length && ends[index]! <= at) index++;
    const origin = new LineStart(sources[index]!.file, all, index === 0 ? 0 : ends[index - 1]!, at);
    yield { text: match[1]!.replace(TRAILING_BLANKS, ''), origin };
  }
}

/** Redis splits a C string: nothing after a NUL byte exists for it. */
function directiveText(line: string): string {
  const nul = line.indexOf('\0');
  return nul === -1 ? line : line.slice(0, nul);
}

/** Nothing that quotes, escapes or ends a C string: the usual line, split without a byte walk. */
const SIMPLE = /^[^"'\0\v\f]*$/;
const NON_ASCII = /[\x80-\xff]/;

/** What splitArgs gives for a line without quotes (split at blanks), or undefined for the others. */
function splitSimple(line: string): SplitLine | undefined {
  if (!SIMPLE.test(line)) return undefined;
  let lossy = false;
  const args = line.split(/[ \t\r\n]+/).map((word) => {
    if (!NON_ASCII.test(word)) return word;
    const bytes = Buffer.from(word, 'latin1');
    const text = bytes.toString('utf8');
    if (!Buffer.from(text, 'utf8').equals(bytes)) lossy = true;
    return text;
  });
  return { args, lossy };
}

async function loadLines(input: Iterable<{ text: string; origin: Origin }>, state: State): Promise<void> {
  for (const { text, origin } of input) {
    const line = directiveText(text);
    if (line === '') continue;
    const split = splitSimple(line) ?? splitArgs(Buffer.from(line, 'latin1'));
    if (!split) throw OcfError.configured(`config ${where(origin)}: unbalanced quotes`);
    if (split.args.length === 0) continue;
    const [first, ...args] = split.args;
    const name = first!.toLowerCase();
    if (holdsSecrets(name)) state.secrets.push(...directiveSecrets(name, args, line));
    if (name === 'include' && args.length === 1) {
      await loadFile(resolve(state.cwd, args[0]!), state, origin);
      continue;
    }
    if (name === 'dir' && args.length === 1) state.cwd = resolve(state.cwd, args[0]!);
    state.directives.push(new ReadDirective(name, args, origin, split.lossy, state.readingConfigFile));
  }
}

async function loadFile(path: string, state: State, from: Origin | undefined): Promise<void> {
  if (state.stack.includes(path)) {
    throw OcfError.configured(`config ${where(from!)}: include loop: ${[...state.stack, path].join(' -> ')}`);
  }
  if (isPattern(path)) state.globbed = true;
  const sources = await readSource(path, from);
  state.files.push(...sources.map((s) => s.file));
  state.stack.push(path);
  state.readingConfigFile = true;
  try {
    await loadLines(lines(sources), state);
  } finally {
    state.stack.pop();
  }
  // an included file's read ends with the flag cleared; the main file's read also covers the
  // command-line options, which Redis appends to its text
  if (from) state.readingConfigFile = false;
}

/**
 * Every directive of a config file (includes expanded) followed by command-line options, each
 * `['port', '7000']`, in the order Redis applies them. `cwd` is the directory redis-server starts in.
 */
export async function loadDirectives(file: string, cwd: string, overrides: ReadonlyArray<readonly string[]> = []): Promise<LoadedDirectives> {
  const state: State = { cwd, directives: [], files: [], stack: [], readingConfigFile: true, secrets: [], globbed: false };
  const main = resolve(cwd, file);
  await loadFile(main, state, undefined);
  const fromCommandLine = overrides.map((words, index) => ({
    text: Buffer.from(words.map(quote).join(' '), 'utf8').toString('latin1'),
    origin: { file: COMMAND_LINE, line: index + 1 },
  }));
  await loadLines(fromCommandLine, state);
  return { file: main, directives: state.directives, files: state.files, cwd: state.cwd, secrets: state.secrets, globbed: state.globbed };
}

/** As redis-server turns `--key value` into a config line (sdscatrepr): always double-quoted. */
function quote(word: string): string {
  return `"${word.replace(/[\\"]/g, '\\$&').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`;
}
