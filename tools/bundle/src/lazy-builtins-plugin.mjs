// Node loads a built-in module when the bundle's top level requires it, whether or not the action
// uses it: child_process costs ~4.4 ms of CPU per start, crypto ~3, net ~3, fs/promises ~2.3
// (measured, Node 20, a bare start being ~21). meta-data uses none of them and a monitor only some,
// so every heavy built-in is replaced by a stand-in that requires the real module on first use.
// Sources keep ordinary imports; the laziness is the bundle's business.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
export const LAZY = ['module', 'os', 'child_process', 'crypto', 'net', 'tls', 'http', 'https', 'fs/promises', 'dgram', 'dns', 'zlib', 'stream', 'readline', 'worker_threads'];
const FILTER = new RegExp(`^(node:)?(${LAZY.map((m) => m.replace('/', '\\/')).join('|')})$`);

function stub(name) {
  const real = require(`node:${name}`);
  const lines = [`let m;`, `const load = () => (m ??= require('node:${name}'));`];
  for (const key of Object.keys(real)) {
    if (!/^[A-Za-z_$][\w$]*$/.test(key) || key === 'default') continue;
    if (typeof real[key] === 'function') {
      // classes keep working with `new`; functions are called through
      lines.push(`export function ${key}(...a) { const f = load().${key}; return new.target ? Reflect.construct(f, a) : f.apply(this, a); }`);
    } else {
      // pure: esbuild keeps a `new Proxy` it cannot prove free of effects, so every stand-in of
      // every export went into every bundle (redis had 47, a fifth of its code cache)
      lines.push(`export const ${key} = /* @__PURE__ */ new Proxy({}, { get: (_, k) => load().${key}[k], has: (_, k) => k in load().${key}, ownKeys: () => Reflect.ownKeys(load().${key}), getOwnPropertyDescriptor: (_, k) => Reflect.getOwnPropertyDescriptor(load().${key}, k) });`);
    }
  }
  lines.push(`export default /* @__PURE__ */ new Proxy({}, { get: (_, k) => load()[k] });`);
  return lines.join('\n');
}

export function lazyBuiltinsPlugin() {
  return {
    name: 'ocfkit-lazy-builtins',
    setup(build) {
      // only our sources' imports: the require() calls inside stand-ins must reach the real module
      build.onResolve({ filter: FILTER }, (args) => (args.namespace === 'lazy-builtin' ? undefined : { path: args.path.replace(/^node:/, ''), namespace: 'lazy-builtin' }));
      build.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({ contents: stub(args.path), loader: 'js', resolveDir: '/' }));
    },
  };
}
