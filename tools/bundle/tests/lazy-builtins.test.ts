import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
// @ts-expect-error plain ESM tool without types
import { bundle } from '../src/bundle.mjs';

const dir = mkdtempSync(join(tmpdir(), 'ocfkit-lazy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('a lazy built-in is loaded on first use, and only the stand-ins the code uses are bundled', async () => {
  const entry = join(dir, 'main.ts');
  writeFileSync(
    entry,
    `import { connect } from 'node:net';
import { constants } from 'node:os';
const before = process.moduleLoadList.includes('NativeModule net');
const socket = connect({ path: '/nonexistent/ocfkit.sock' });
socket.on('error', () => {});
console.log(JSON.stringify({ before, after: process.moduleLoadList.includes('NativeModule net'), term: constants.signals.SIGTERM }));
`,
  );
  const outfile = join(dir, 'probe');
  await bundle({ entry, outfile, codeCache: false });
  const code = readFileSync(outfile, 'utf8');
  // os has a dozen values (EOL, devNull, constants...) and each module a default: one is used
  expect(code.match(/new Proxy/g)).toHaveLength(1);
  const run = spawnSync(process.execPath, [outfile], { encoding: 'utf8' });
  expect(run.status).toBe(0);
  expect(JSON.parse(run.stdout)).toEqual({ before: false, after: true, term: 15 });
});
