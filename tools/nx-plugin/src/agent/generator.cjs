// `npx nx g @ocfkit/nx-plugin:agent <name>`: a new package under agents/<name> with the shape every
// agent has (params, actions, agent.ts, main.ts, a conformance test, a README whose parameter
// table is rendered from the declaration, package metadata with its packaging entries). Build,
// tests, packaging and docs find agents by folder, so nothing outside agents/<name> changes.
// CommonJS because nx loads generators with require(); the runtime (TypeScript, ESM) is loaded
// through the same in-memory bundling the docs and packaging tools use.
const { formatFiles, generateFiles, logger } = require('@nx/devkit');
const { execFileSync } = require('node:child_process');
const { dirname, join, relative, resolve } = require('node:path');

const TEMPLATE = join(__dirname, 'files');

/** The runtime's own modules, from source: the name rule and the README table are its, not copies. */
async function runtimeOf(root) {
  const { loadModule } = await import(join(root, 'tools/bundle/src/load-agent.mjs'));
  return loadModule(join(root, 'packages/runtime/src/index.ts'));
}

/** Evaluate the generated declaration straight from the tree (a dry run writes nothing to disk). */
async function declarationIn(tree, dir) {
  const { evaluateBundle } = await import(join(tree.root, 'tools/bundle/src/load-agent.mjs'));
  const root = tree.root;
  const entry = join(root, dir, 'src/agent.ts');
  // Files of the new agent come from the tree; packages (the runtime) resolve from the workspace
  // root, since the agent's own directory may not exist on disk yet.
  const fromTree = {
    name: 'nx-tree',
    setup(b) {
      b.onResolve({ filter: /^\./ }, (args) => {
        if (args.namespace !== 'tree' && args.importer !== entry) return undefined;
        const path = resolve(args.pluginData?.dir ?? dirname(entry), args.path);
        return path.startsWith(join(root, dir) + '/') ? { path, namespace: 'tree' } : undefined;
      });
      // agent.ts imports its package.json for its name and version
      const loader = (path) => (path.endsWith('.json') ? 'json' : 'ts');
      b.onLoad({ filter: /.*/, namespace: 'tree' }, (args) => ({ contents: tree.read(relative(root, args.path), 'utf8'), loader: loader(args.path), resolveDir: root, pluginData: { dir: dirname(args.path) } }));
    },
  };
  const loaded = await evaluateBundle(
    { stdin: { contents: tree.read(relative(root, entry), 'utf8'), loader: 'ts', resolveDir: root, sourcefile: entry }, plugins: [fromTree] },
    entry,
  );
  return loaded.default;
}

module.exports = async function agentGenerator(tree, options) {
  const runtime = await runtimeOf(tree.root);
  const name = options.name;
  const problem = runtime.agentNameProblem(name);
  if (problem) throw new Error(problem);
  const dir = `agents/${name}`;
  if (tree.exists(dir)) throw new Error(`${dir} already exists`);
  const description = (options.description ?? `Runs ${name} as a cluster resource`).replace(/\.$/, '');
  generateFiles(tree, TEMPLATE, dir, { name, description, tmpl: '' });

  const agent = await declarationIn(tree, dir);
  const readme = `${dir}/README.md`;
  tree.write(readme, runtime.withParamTable(tree.read(readme, 'utf8'), agent));
  await formatFiles(tree);

  return () => {
    if (!options.skipInstall) {
      // links the new workspace package and records it in package-lock.json (npm ci refuses a stale lock)
      execFileSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: tree.root, stdio: 'inherit' });
    }
    logger.info(`\nnext: npm run build && npx vitest run ${dir}\n      npx ocfkit test-agent dist/resource.d/ocfkit/${name} -o binary=/usr/bin/<your service> ...`);
  };
};
