import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';
import { SOURCE_CONDITIONS } from './tools/bundle/src/conditions.mjs';

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

// Workspace packages export their TypeScript sources under an export condition of our own (their
// published default is the compiled JavaScript in dist/): tests run the sources, no build needed.
const conditions = [...SOURCE_CONDITIONS, ...defaultServerConditions];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
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
