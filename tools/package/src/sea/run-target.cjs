// Run by the Node.js binary the standalone binary is made of (build-sea.mjs), never by the
// product: one call of one target's bundle, as the binary's main script would make it, with the
// target's own stdout and stderr. The build keeps the meta-data it prints (entry.mjs).
//
//   node run-target.cjs SOURCE NAME ARG...
'use strict';
const { readFileSync } = require('node:fs');
const { Script } = require('node:vm');

const [source, name, ...args] = process.argv.slice(2);
process.argv = [process.execPath, `/usr/lib/ocf/resource.d/ocfkit/${name}`, ...args];
const loaded = { exports: {} };
new Script(readFileSync(source, 'latin1'), { filename: name }).runInThisContext().call(loaded.exports, loaded.exports, require, loaded, name, '/');
