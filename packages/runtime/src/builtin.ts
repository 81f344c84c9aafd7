import { createRequire } from 'node:module';

// Heavy Node built-ins (node:tls, node:http...) are loaded on the path that needs them, not at
// start-up: a monitor that never speaks TLS should not pay for it. Bundles are CommonJS and have
// `require`; TypeScript sources under test are ESM and get one from createRequire.
const nodeRequire: NodeRequire = typeof require === 'function' ? require : createRequire(import.meta.url);

/** `builtin<typeof import('node:tls')>('node:tls')`: load a Node built-in module on first use. */
export function builtin<T>(name: `node:${string}`): T {
  return nodeRequire(name) as T;
}
