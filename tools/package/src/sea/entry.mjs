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

/** meta-data gets a code cache of its own: it runs little of an agent, and a smaller cache loads faster. */
export const META_DATA = 'meta-data';

/** Asset names: a target's bundle, and its code caches (meta-data's, everything else's). */
export const assetNames = (name) => ({ source: `${name}.js`, cache: `${name}.v8cache`, metaDataCache: `${name}.meta-data.v8cache` });

/** Source of the main script for `targets` ([{ name, agent: boolean }]). */
export function entrySource(targets) {
  const names = targets.map((t) => t.name);
  const agents = targets.filter((t) => t.agent).map((t) => t.name);
  return `"use strict";
const { getRawAsset } = require("node:sea");
const { basename } = require("node:path");
const { writeSync } = require("node:fs");
const names = ${JSON.stringify(names)};
const agents = ${JSON.stringify(agents)};
// a SEA's argv is [binary, invoked path, ...arguments]: the invoked path is the link's name
const name = basename(process.argv[1] || "");
if (!names.includes(name)) {
  // fd 2 directly: process.stderr would cost a stream set-up
  writeSync(2, "ocfkit-standalone: called as " + JSON.stringify(name) + "; call it through one of its links: " + names.join(", ") + "\\n");
  process.exit(2);
}
const cache = agents.includes(name) && process.argv[2] === ${JSON.stringify(META_DATA)} ? name + ".meta-data.v8cache" : name + ".v8cache";
// the bundles are ASCII (esbuild escapes the rest): latin1 decodes them without a UTF-8 pass
const source = Buffer.from(getRawAsset(name + ".js")).toString("latin1");
// a rejected cache (it cannot be: same binary, same source) would only mean compiling as usual
const script = new (require("node:vm").Script)(source, { filename: process.argv[1], cachedData: new Uint8Array(getRawAsset(cache)) });
const loaded = { exports: {} };
script.runInThisContext().call(loaded.exports, loaded.exports, require, loaded, process.argv[1], "/");
`;
}
