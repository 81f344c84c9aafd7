// A V8 code cache for the bundle, the way Node 22's module.enableCompileCache() works (Node 18 and
// 20 have no such switch): the agent's code is compiled through vm.Script with the bytecode V8
// produced on an earlier run, read from /var/cache/ocfkit. Pacemaker starts a fresh process per
// action, and compiling the bundle's functions is most of what an action costs beyond Node's own
// start (measured: tfs-nameserver monitor 34.4 -> 31.6 ms CPU).
//
// Safety: the cache is used only from a root-owned directory that no one else can write (a cache
// is code); V8 itself rejects a cache made by another V8 version, other flags or other source, and
// the file name carries the bundle's hash so a rebuilt agent never even reads an old one. Any
// problem means compiling as usual. OCFKIT_CODE_CACHE=off (or a directory) overrides the place.
import { createHash } from 'node:crypto';

/** Where agents keep their code cache (ocfkit doctor checks it). */
export const CODE_CACHE_DIR = '/var/cache/ocfkit';

export function wrapWithCodeCache(name, code) {
  const id = createHash('sha256').update(code).digest('hex').slice(0, 16);
  return `"use strict";
const code = ${JSON.stringify(code)};
(function () {
  const fs = require("fs");
  const vm = require("vm");
  const setting = process.env.OCFKIT_CODE_CACHE;
  const dir = setting === undefined || setting === "" ? ${JSON.stringify(CODE_CACHE_DIR)} : setting;
  const file = dir === "off" ? undefined : dir + "/" + ${JSON.stringify(name)} + "-" + ${JSON.stringify(id)} + "-" + process.version + "-" + process.arch + ".v8cache";
  let cachedData;
  let trusted = false;
  if (file) {
    try {
      const st = fs.statSync(dir);
      trusted = st.isDirectory() && st.uid === (process.getuid ? 0 : st.uid) && (st.mode & 0o022) === 0;
      if (trusted) cachedData = fs.readFileSync(file);
    } catch {}
  }
  const script = new vm.Script("(function (exports, require, module, __filename, __dirname) {" + code + "\\n})", { filename: __filename, cachedData });
  if (file && process.getuid && process.getuid() === 0 && (cachedData === undefined || script.cachedDataRejected)) {
    // written at exit, so the bytecode of every function this action ran is in it
    process.once("exit", () => {
      try {
        fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
        const st = fs.statSync(dir);
        if (st.uid !== 0 || (st.mode & 0o022) !== 0) return;
        const tmp = file + "." + process.pid;
        fs.writeFileSync(tmp, script.createCachedData(), { mode: 0o644 });
        fs.renameSync(tmp, file);
      } catch {}
    });
  }
  script.runInThisContext().call(module.exports, module.exports, require, module, __filename, __dirname);
})();
`;
}
