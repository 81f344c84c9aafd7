import { defineConfig } from 'vitest/config';

// Two runs over every package. The first: unit tests next to their module (`src/**/x.test.ts`) and
// integration tests in each package's `tests/`, in parallel. The second (OCFKIT_TESTS=cluster):
// the tests that bring up real Pacemaker clusters, one file at a time, so that neither their
// timings nor the others' are distorted by up to a dozen cluster daemons sharing two cores.
const CLUSTER = [
  'tools/cluster-lab/tests/**/*.test.ts',
  'agents/*/tests/pacemaker.test.ts',
  'agents/*/tests/cluster.test.ts',
  'agents/*/tests/cluster/**/*.test.ts',
];
const cluster = process.env.OCFKIT_TESTS === 'cluster';

export default defineConfig({
  test: {
    include: cluster ? CLUSTER : ['{packages,agents,tools}/*/{src,tests}/**/*.test.ts'],
    exclude: cluster ? ['**/node_modules/**'] : ['**/node_modules/**', ...CLUSTER],
    fileParallelism: !cluster,
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default', './tools/test-summary.mjs'],
    // The machine's CA bundle variable costs ~70 ms per node start; agents run without it under Pacemaker.
    env: { NODE_EXTRA_CA_CERTS: '' },
  },
});
