import { defineConfig } from 'vitest/config';

// One run over every package: unit tests sit next to their module (`src/**/x.test.ts`), integration
// tests in each package's `tests/`. Forks, not threads: tests spawn and signal real processes.
export default defineConfig({
  test: {
    include: ['{packages,agents,tools}/*/{src,tests}/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default', './tools/test-summary.mjs'],
    // The machine's CA bundle variable costs ~70 ms per node start; agents run without it under Pacemaker.
    env: { NODE_EXTRA_CA_CERTS: '' },
  },
});
