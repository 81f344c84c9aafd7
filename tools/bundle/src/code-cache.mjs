// An agent's executable: the agent's code as a string, a few lines of loader, and its pre-rendered
// meta-data in a comment at the end of the file.
//
// - The code is compiled through vm.Script with a V8 code cache, the way Node 22's
//   module.enableCompileCache() works (Node 18 and 20 have no such switch): the bytecode V8
//   produced on an earlier run, read from /var/cache/ocfkit. Pacemaker starts a fresh process per
//   action, and compiling the functions an action runs is much of what it costs beyond Node's own
//   start.
// - The code is the text of a comment inside a function, `carrier`, and carrier.toString() hands
//   it over: V8 returns a slice of the script's own source, without a copy, and the parser skips a
//   comment without buffering it. Measured for the redis agent (113 KB of code): as a string
//   literal, a monitor took some 100 page faults and 5.5 M instructions more (the scanner's literal
//   buffer grows by doubling, then the literal is copied twice more); read back from a trailing
//   comment, the second file read and its latin1 copy cost more than the literal. The code holds
//   no "*/": the build rewrites any into code that means the same (comment-safe.mjs), since
//   undoing an escape would copy the whole code on every call.
// - meta-data depends on nothing but the declaration and OCF_RA_VERSION_MAJOR/MINOR (the runtime's
//   execute() says so where it renders it). The build runs the agent for the versions Pacemaker,
//   pcs, crmsh and ocf-tester call it with and keeps each answer, byte for byte, in the trailing
//   comment (a comment costs the other actions next to nothing to skip): such a call prints it
//   without running the agent's code. Any other environment takes the ordinary path.
//
// Safety: the cache is used only from a root-owned directory that no one else can write (a cache
// is code); V8 itself rejects a cache made by another V8 version, other flags or other source, and
// the file name carries the code's hash so a rebuilt agent never even reads an old one (and
// removes the old one when it writes its own). Any problem means compiling as usual.
// OCFKIT_CODE_CACHE=off (or a directory) overrides the place.
import { createHash } from 'node:crypto';
import { withoutCommentEnd } from './comment-safe.mjs';

/** Where agents keep their code cache (ocfkit doctor checks it). */
export const CODE_CACHE_DIR = '/var/cache/ocfkit';

/** The first 7 of a code cache file's 8 header bytes; the 8th is "1" when a monitor that found the service running wrote it. */
export const CACHE_HEADER = 'ocfkit:';

/**
 * A monitor's exit codes when the service runs: 0, 8 (promoted), 190 and 191 (degraded). Written
 * as numbers (the loader is plain JavaScript); a test holds them to the runtime's OCF codes.
 */
export const RUNNING_CODES = [0, 8, 190, 191];

/** The OCF_RA_VERSION_MAJOR/MINOR pairs the build renders meta-data for (undefined: unset). */
export const META_DATA_VERSIONS = [
  [undefined, undefined],
  ['1', '0'],
  ['1', '1'],
];

/** The environment variables of one of those pairs (an unset one is left out). */
export const versionEnv = (major, minor) => ({
  ...(major === undefined ? {} : { OCF_RA_VERSION_MAJOR: major }),
  ...(minor === undefined ? {} : { OCF_RA_VERSION_MINOR: minor }),
});

/** The key the loader looks an environment up by: unset and empty stay apart. */
export const versionKey = (major, minor) => JSON.stringify([major ?? null, minor ?? null]);

// Inside a comment, "*/" would end it: stored as "*\x01/" (a byte esbuild never leaves raw in its
// output, and that the build refuses to find in a section).
const ESCAPE = '*\x01/';

function escapeSection(text, what) {
  if (text.includes('\x01')) throw new Error(`${what} holds a \\x01 byte: it cannot be stored in the agent's trailing comment`);
  return { text: text.split('*/').join(ESCAPE), escaped: text.includes('*/') };
}

/**
 * The executable's text (after the #! line). `metaData`: [{ major, minor, output }], the agent's own
 * meta-data answers for those environments (none for a command).
 */
export function wrapWithCodeCache(name, bundled, { metaData = [] } = {}) {
  const code = withoutCommentEnd(bundled, `${name}'s code`);
  const id = createHash('sha256').update(code).digest('hex').slice(0, 16);
  const outputs = [...new Set(metaData.map((m) => m.output))];
  const sections = outputs.map((o) => escapeSection(o, `${name}'s meta-data`));
  const tag = `/*@ocfkit ${id}\n`;
  // positions are counted from the end of the file: they do not depend on the loader's length
  const tail = sections.length ? Buffer.from(`${tag}${sections.map((s) => s.text).join('')}*/\n`, 'latin1') : Buffer.alloc(0);
  let at = Buffer.byteLength(tag, 'latin1');
  const places = sections.map((s) => {
    const length = Buffer.byteLength(s.text, 'latin1');
    const place = [tail.length - at, length, s.escaped ? 1 : 0];
    at += length;
    return place;
  });
  const memo = Object.fromEntries(metaData.map((m) => [versionKey(m.major, m.minor), outputs.indexOf(m.output)]));
  return `"use strict";
(function () {
  const fs = require("fs");
  const memo = ${JSON.stringify(memo)};
  // meta-data from the file's tail; false when this environment has no answer there, or when the
  // file was replaced since Node read it (an upgrade): then the code at hand renders it
  const answerMetaData = () => {
    const known = memo[JSON.stringify([process.env.OCF_RA_VERSION_MAJOR ?? null, process.env.OCF_RA_VERSION_MINOR ?? null])];
    if (known === undefined) return false;
    let fd;
    try {
      fd = fs.openSync(__filename, "r");
      const size = fs.fstatSync(fd).size;
      const read = (fromEnd, length) => {
        const bytes = Buffer.alloc(length);
        let got = 0;
        while (got < length) {
          const n = fs.readSync(fd, bytes, got, length - got, size - fromEnd + got);
          if (n === 0) break;
          got += n;
        }
        return bytes.subarray(0, got);
      };
      const tag = ${JSON.stringify(tag)};
      if (size < ${tail.length} || read(${tail.length}, tag.length).toString("latin1") !== tag) return false;
      const [fromEnd, length, escaped] = ${JSON.stringify(places)}[known];
      let out = read(fromEnd, length);
      if (escaped) out = Buffer.from(out.toString("latin1").split(${JSON.stringify(ESCAPE)}).join("*/"), "latin1");
      while (out.length > 0) {
        try {
          out = out.subarray(fs.writeSync(1, out));
        } catch (error) {
          if (error.code !== "EAGAIN") break; // EPIPE: nobody reads, and the exit code still counts
        }
      }
    } catch {
      return false; // the file cannot be read back: render as usual
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
    return true;
  };
  if (process.argv.length === 3 && process.argv[2] === "meta-data" && answerMetaData()) process.exit(0);
  const vm = require("vm");
  const setting = process.env.OCFKIT_CODE_CACHE;
  const dir = setting === undefined || setting === "" ? ${JSON.stringify(CODE_CACHE_DIR)} : setting;
  const prefix = ${JSON.stringify(name)} + "-";
  const base = prefix + ${JSON.stringify(id)} + "-" + process.version + "-" + process.arch + ".v8cache";
  const cacheFile = dir === "off" ? undefined : dir + "/" + base;
  // The cache holds the functions the run that wrote it had compiled. A monitor that found the
  // service running is the call that repeats for as long as it runs; a cache written by anything
  // else (often a probe, before start) lacks its path, which every monitor would then compile
  // again, and carries start's, which every monitor would deserialize. So a monitor does not use
  // such a cache: it compiles its own functions, and the first that finds the service running
  // writes the cache that every later call uses. The file's first 8 bytes say which kind wrote it
  // (8, so the V8 data stays aligned: no copy).
  const HEADER = ${JSON.stringify(CACHE_HEADER)};
  const running = (code) => process.argv[2] === "monitor" && ${JSON.stringify(RUNNING_CODES)}.includes(code);
  let cachedData;
  let skipped = false;
  if (cacheFile) {
    try {
      const st = fs.statSync(dir);
      const trusted = st.isDirectory() && st.uid === (process.getuid ? 0 : st.uid) && (st.mode & 0o022) === 0;
      const file = trusted ? fs.readFileSync(cacheFile) : undefined;
      if (file && file.length > 8 && file.toString("latin1", 0, 7) === HEADER) {
        skipped = file[7] !== 0x31 && process.argv[2] === "monitor";
        if (!skipped) cachedData = file.subarray(8);
      }
    } catch {}
  }
  // carrier's text is "function carrier() {/*" + the code + "*/}"
  const text = carrier.toString();
  const script = new vm.Script(text.slice(text.indexOf("/*") + 2, text.lastIndexOf("*/")), { filename: __filename, cachedData });
  const usable = cachedData !== undefined && !script.cachedDataRejected;
  if (cacheFile && process.getuid && process.getuid() === 0 && !usable) {
    // written at exit, so the bytecode of every function this action ran is in it
    process.once("exit", (code) => {
      // a monitor that did not find the service running leaves the cache it skipped as it is
      if (skipped && !running(code)) return;
      try {
        fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
        const st = fs.statSync(dir);
        if (st.uid !== 0 || (st.mode & 0o022) !== 0) return;
        const tmp = cacheFile + "." + process.pid;
        fs.writeFileSync(tmp, Buffer.concat([Buffer.from(HEADER + (running(code) ? "1" : "0"), "latin1"), script.createCachedData()]), { mode: 0o644 });
        fs.renameSync(tmp, cacheFile);
        // the caches of this agent's earlier builds are never read again
        const stale = new RegExp("^" + prefix.replace(/[^\\w-]/g, "\\\\$&") + "[0-9a-f]{16}-.*\\\\.v8cache$");
        for (const other of fs.readdirSync(dir)) if (other !== base && stale.test(other)) fs.unlinkSync(dir + "/" + other);
      } catch {}
    });
  }
  script.runInThisContext().call(module.exports, module.exports, require, module, __filename, __dirname);
})();
function carrier() {/*(function (exports, require, module, __filename, __dirname) {${code}\n})*/}
${tail.toString('latin1')}`;
}
