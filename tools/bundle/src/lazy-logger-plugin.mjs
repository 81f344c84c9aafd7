// The opt-in JSON log (OCFKIT_JSON_LOG, packages/runtime/src/log/json-log.ts) carries pino and its
// dependencies (~64 KB), which no call needs unless an operator asked for that log. As code in the
// bundle, V8 must still pre-parse it on every start: +12 M instructions (~14% of a bare node start,
// callgrind) for a call without the code cache. As a string literal it costs nothing until the
// logger's `import()` of that module evaluates it, on the first line of a call with the log on.
import { build } from 'esbuild';

const JSON_LOG = /[\\/]packages[\\/]runtime[\\/]src[\\/]log[\\/]json-log\.ts$/;

export function lazyLoggerPlugin({ target }) {
  let compiled;
  return {
    name: 'ocfkit-lazy-logger',
    setup(pluginBuild) {
      pluginBuild.onLoad({ filter: JSON_LOG }, async (args) => {
        compiled ??= build({
          entryPoints: [args.path],
          bundle: true,
          write: false,
          platform: 'node',
          format: 'cjs',
          target,
          minify: true,
          legalComments: 'none',
        }).then((result) => result.outputFiles[0].text);
        const source = await compiled;
        return {
          loader: 'js',
          contents: `const source = ${JSON.stringify(source)};
let loaded;
function load() {
  if (!loaded) {
    const m = { exports: {} };
    new Function('module', 'exports', 'require', source)(m, m.exports, require);
    loaded = m.exports;
  }
  return loaded;
}
export function createJsonLog(settings) {
  return load().createJsonLog(settings);
}
`,
        };
      });
    },
  };
}
