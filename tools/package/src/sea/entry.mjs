// The standalone binary's main script: a few lines that pick the bundle of the agent or command
// it was called as (/usr/lib/ocf/resource.d/ocfkit/redis -> redis) from the binary's assets and
// compile it with the V8 code cache made at build time (code-cache.mjs), so that a call neither
// parses nor compiles what the build already ran. Only the called target's code is loaded.
//
// Why not a V8 startup snapshot (`useSnapshot`): measured on Node 24.22.3 (callgrind, a call's
// instructions), a snapshot-based SEA with an EMPTY entry already costs 1.18x `node -e 0`: its
// blob carries Node's code cache of all ~390 built-in modules, copied into fresh buffers on every
// start, and every object of the heap is deserialized whether the call needs it or not. This
// binary with an empty entry costs 0.97x; the agents' code on top of it, from a code cache, less
// than the snapshot's own overhead.

/** Asset names: a target's bundle, its code cache, and an agent's kept meta-data answers. */
export const assetNames = (name) => ({ source: `${name}.js`, cache: `${name}.v8cache`, metaData: (i) => `${name}.meta-data.${i}.xml` });

/**
 * Source of the main script for `targets` ([{ name, metaData? }]). metaData: { [versionKey]: asset },
 * the agent's meta-data as the build rendered it for each OCF_RA_VERSION pair (tools/bundle's
 * code-cache.mjs says why that is safe): such a call prints the asset and loads no code at all.
 */
export function entrySource(targets) {
  const names = targets.map((t) => t.name);
  const memo = Object.fromEntries(targets.filter((t) => t.metaData).map((t) => [t.name, t.metaData]));
  return `"use strict";
const { getRawAsset } = require("node:sea");
const { basename } = require("node:path");
const { writeSync } = require("node:fs");
const names = ${JSON.stringify(names)};
// a SEA's argv is [binary, invoked path, ...arguments]: the invoked path is the link's name
const name = basename(process.argv[1] || "");
if (!names.includes(name)) {
  // fd 2 directly: process.stderr would cost a stream set-up
  writeSync(2, "ocfkit-standalone: called as " + JSON.stringify(name) + "; call it through one of its links: " + names.join(", ") + "\\n");
  process.exit(2);
}
const memo = ${JSON.stringify(memo)}[name];
const answer = memo && process.argv.length === 3 && process.argv[2] === "meta-data" ? memo[JSON.stringify([process.env.OCF_RA_VERSION_MAJOR ?? null, process.env.OCF_RA_VERSION_MINOR ?? null])] : undefined;
if (answer !== undefined) {
  let out = new Uint8Array(getRawAsset(answer));
  while (out.length > 0) {
    try {
      out = out.subarray(writeSync(1, out));
    } catch (error) {
      if (error.code !== "EAGAIN") break; // EPIPE: nobody reads, and the exit code still counts
    }
  }
  process.exit(0);
}
// the bundles are ASCII (esbuild escapes the rest): latin1 decodes them without a UTF-8 pass
const source = Buffer.from(getRawAsset(name + ".js")).toString("latin1");
// a rejected cache (it cannot be: same binary, same source) would only mean compiling as usual
const script = new (require("node:vm").Script)(source, { filename: process.argv[1], cachedData: new Uint8Array(getRawAsset(name + ".v8cache")) });
const loaded = { exports: {} };
script.runInThisContext().call(loaded.exports, loaded.exports, require, loaded, process.argv[1], "/");
`;
}
