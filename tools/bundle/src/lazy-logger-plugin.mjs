// The logger sink (pino and its dependencies, ~64 KB) is needed only by an action that logs. As
// code in the bundle, V8 must still pre-parse it on every start: about 2 ms of CPU, ~9% of a bare
// node start, paid by every monitor and meta-data call. As a string literal it costs nothing until
// the first log line evaluates it (measured: same CPU as a bundle without pino at all).
import { build } from 'esbuild';

const SINK = /[\\/]packages[\\/]runtime[\\/]src[\\/]log[\\/]sink\.ts$/;

export function lazyLoggerPlugin({ target }) {
  let compiled;
  return {
    name: 'ocfkit-lazy-logger',
    setup(pluginBuild) {
      pluginBuild.onLoad({ filter: SINK }, async (args) => {
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
export function createSink(settings) {
  return load().createSink(settings);
}
`,
        };
      });
    },
  };
}
