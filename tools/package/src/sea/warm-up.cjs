// Run by the very Node.js binary the standalone binary is made of (code-cache.mjs), never by the
// product: compiles one target's bundle as the binary's main script will, runs it for each of
// the calls listed, in this one process, and writes V8's code cache of the script afterwards. The
// cache then holds the bytecode of every function those calls ran (V8 leaves a function that
// never ran uncompiled, so a cache made right after compiling would hold the top level only).
//
//   node warm-up.cjs SPEC.json    SPEC: { name, source, out, report, runs: [{ args, env }] }
//   node warm-up.cjs SPEC.json    SPEC: { name, source, check }: exit 1 if V8 rejects the cache `check`
//
// An agent ends each call with process.exit(code): here that only ends the call, so that the
// next one runs in the same process and adds its functions to the same script.
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const { Script } = require('node:vm');

const spec = JSON.parse(readFileSync(process.argv[2], 'utf8'));
if (spec.check) {
  const checked = new Script(readFileSync(spec.source, 'latin1'), { filename: spec.name, cachedData: readFileSync(spec.check) });
  process.exit(checked.cachedDataRejected ? 1 : 0);
}
const script = new Script(readFileSync(spec.source, 'latin1'), { filename: spec.name });
const wrapper = script.runInThisContext();
const exit = process.exit;
const codes = [];

async function main() {
  for (const run of spec.runs) {
    process.argv = [process.execPath, `/usr/lib/ocf/resource.d/ocfkit/${spec.name}`, ...run.args];
    process.env = { ...run.env };
    const code = await new Promise((resolve) => {
      process.exit = resolve;
      const loaded = { exports: {} };
      wrapper.call(loaded.exports, loaded.exports, require, loaded, spec.name, '/');
    });
    process.exit = exit;
    // each call registered its crash handlers; the next one registers its own
    process.removeAllListeners('uncaughtException');
    process.removeAllListeners('unhandledRejection');
    codes.push(code ?? 0);
  }
  writeFileSync(spec.out, script.createCachedData());
  writeFileSync(spec.report, JSON.stringify(codes));
  exit(0);
}
main();
