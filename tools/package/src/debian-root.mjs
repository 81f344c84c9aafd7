// A Debian 12 (bookworm) root to install our .debs into, as an operator's machine would have
// them: debootstrap minbase plus apt lists and Debian's own nodejs downloaded (not installed, so
// that `apt install ./ocfkit-<agent>.deb` resolves and installs it as on a stock system). Built
// once per machine and kept as a tarball in /var/cache/ocfkit-ci (about 1-2 minutes and 80 MB
// from the mirror; CI caches that directory); each use unpacks a fresh copy in seconds.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from './run.mjs';

export const CACHE_DIR = process.env.OCFKIT_CI_CACHE || '/var/cache/ocfkit-ci';
/** Bump when the recipe below changes: an old tarball is then rebuilt, not reused. */
const RECIPE = 'bookworm-minbase-nodejs-1';
/** Security fixes reach the cached nodejs at least this often. */
const MAX_AGE_DAYS = 14;

/** What the root needs for one purpose: `test` (nodejs only) or `bench` (plus services to compare). */
export const FLAVOURS = {
  test: { download: ['nodejs'], install: [] },
  bench: { download: ['nodejs'], install: ['resource-agents', 'redis-server', 'hyperfine', 'time', 'procps'] },
};

/** The Debian mirror this machine's apt uses (deb822 or one-line sources), else deb.debian.org. */
export function debianMirror() {
  const files = ['/etc/apt/sources.list', ...(existsSync('/etc/apt/sources.list.d') ? readdirSync('/etc/apt/sources.list.d').map((f) => `/etc/apt/sources.list.d/${f}`) : [])];
  for (const file of files) {
    let text;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const m = text.match(/^\s*(?:URIs:|deb)\s+(https?:\/\/\S+\/debian)\/?\s*$/m) ?? text.match(/^\s*deb\s+(?:\[[^\]]*\]\s+)?(https?:\/\/\S+\/debian)\/?\s+bookworm\b/m);
    if (m) return m[1];
  }
  return 'http://deb.debian.org/debian';
}

function sh(args, options = {}) {
  return run(args[0], args.slice(1), { env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C', DEBIAN_FRONTEND: 'noninteractive' }, ...options });
}

/** Why this machine cannot build or use the root, or undefined when it can. */
export function missingAbility() {
  if (process.getuid?.() !== 0) return 'chroot and debootstrap need root';
  for (const tool of ['/usr/sbin/debootstrap', '/usr/sbin/chroot']) if (!existsSync(tool)) return `${tool} missing (bash tools/setup.sh installs debootstrap)`;
  return undefined;
}

function tarballOf(flavour) {
  return join(CACHE_DIR, `${RECIPE}-${flavour}.tar`);
}

function fresh(path) {
  try {
    return (Date.now() - statSync(path).mtimeMs) / 86_400_000 < MAX_AGE_DAYS;
  } catch {
    return false;
  }
}

/** The cached tarball of a root, built first if missing or stale. */
export function ensureRootTarball(flavour = 'test', log = () => {}) {
  const why = missingAbility();
  if (why) throw new Error(why);
  const tarball = tarballOf(flavour);
  if (fresh(tarball)) return tarball;
  mkdirSync(CACHE_DIR, { recursive: true });
  const build = mkdtempSync(join(CACHE_DIR, 'build-'));
  const root = join(build, 'root');
  try {
    const mirror = debianMirror();
    log(`debootstrap bookworm from ${mirror}`);
    sh(['debootstrap', '--variant=minbase', 'bookworm', root, mirror], { timeout: 600_000 });
    writeFileSync(
      join(root, 'etc/apt/sources.list'),
      [`deb ${mirror} bookworm main`, `deb ${mirror} bookworm-updates main`, `deb ${mirror}-security bookworm-security main`, ''].join('\n'),
    );
    withProc(root, () => {
      sh(['chroot', root, 'apt-get', 'update', '-q'], { timeout: 300_000 });
      // debootstrap's own .debs are installed already; keep only what apt install will need
      sh(['chroot', root, 'apt-get', 'clean']);
      const spec = FLAVOURS[flavour];
      if (spec.install.length) sh(['chroot', root, 'apt-get', 'install', '-y', '-q', '--no-install-recommends', ...spec.install], { timeout: 600_000 });
      sh(['chroot', root, 'apt-get', 'install', '-y', '-q', '--no-install-recommends', '--download-only', ...spec.download], { timeout: 300_000 });
    });
    sh(['tar', '-C', root, '--numeric-owner', '-cf', `${tarball}.tmp`, '.']);
    renameSync(`${tarball}.tmp`, tarball);
    return tarball;
  } finally {
    removeRoot(root);
    rmSync(build, { recursive: true, force: true });
  }
}

/** /proc mounted inside the root for `fn` (apt and node read it), unmounted whatever happens. */
export function withProc(root, fn) {
  mountProc(root);
  try {
    return fn();
  } finally {
    unmountProc(root);
  }
}

export function mountProc(root) {
  mkdirSync(join(root, 'proc'), { recursive: true });
  sh(['mount', '-t', 'proc', 'proc', join(root, 'proc')]);
}

export function unmountProc(root) {
  spawnSync('umount', ['-l', join(root, 'proc')]);
}

/** Remove an unpacked root: never across a mount left behind (the host's /proc!). */
export function removeRoot(root) {
  if (!existsSync(root)) return;
  unmountProc(root);
  spawnSync('rm', ['-rf', '--one-file-system', root]);
}

/** A fresh root unpacked from the cache into a temporary directory; /proc mounted. */
export function unpackRoot(flavour = 'test', log) {
  const tarball = ensureRootTarball(flavour, log);
  const dir = mkdtempSync(join(tmpdir(), `ocfkit-debian12-${flavour}-`));
  const root = join(dir, 'root');
  mkdirSync(root);
  sh(['tar', '-C', root, '--numeric-owner', '-xf', tarball]);
  mountProc(root);
  return {
    root,
    /** Run a command inside the root as root (or `user`), its output, throwing on failure. */
    run: (args, options = {}) => sh(['chroot', ...(options.user ? [`--userspec=${options.user}`] : []), root, ...args], options),
    cleanup: () => {
      removeRoot(root);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
