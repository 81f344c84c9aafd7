// The standalone binary's JavaScript: every agent and command in one bundle, dispatched on the
// name it was called by (/usr/lib/ocf/resource.d/ocfkit/redis -> redis). Built into a V8 startup
// snapshot: the declarations, the runtime and every module they import are evaluated once, at
// build time, and a call only deserializes the heap and runs the action. The agents' `main`
// modules (which act on import) are required lazily, after deserialization.

/** Source of the entry module for `targets` ([{ name, declaration?, main }], absolute paths). */
export function entrySource(targets) {
  const lines = [
    "import { basename } from 'node:path';",
    "import { startupSnapshot } from 'node:v8';",
    // evaluated while the snapshot is built
    "import '@ocfkit/runtime/run';",
    ...targets.filter((t) => t.declaration).map((t) => `import ${JSON.stringify(t.declaration)};`),
    'const commands = {',
    ...targets.map((t) => `  ${JSON.stringify(t.name)}: () => require(${JSON.stringify(t.main)}),`),
    '};',
    `function dispatch() {
  // a SEA's argv is [binary, invoked path, ...arguments]: the invoked path is the symlink's name
  const name = basename(process.argv[1] || '');
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!command) {
    process.stderr.write('ocfkit-standalone: called as ' + JSON.stringify(name) + '; call it through one of its links: ' + Object.keys(commands).join(', ') + '\\n');
    process.exit(2);
  }
  command();
}`,
    'if (startupSnapshot.isBuildingSnapshot()) startupSnapshot.setDeserializeMainFunction(dispatch);',
    'else dispatch();',
    '',
  ];
  return lines.join('\n');
}
