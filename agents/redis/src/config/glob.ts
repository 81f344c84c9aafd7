import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

// Redis 7 expands `include /etc/redis/conf.d/*.conf` with glob(3): *, ? and [...] in any path
// component, names starting with '.' matched only by an explicit '.', results sorted. Node 18
// has no fs.glob, hence this small walker (synchronous, like the rest of the config reading).

/** Whether Redis would treat the path as a pattern (its own test: any of * ? [ ). */
export function isPattern(path: string): boolean {
  return /[*?[]/.test(path);
}

function componentRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close === -1) {
        source += '\\[';
        continue;
      }
      let set = pattern.slice(i + 1, close);
      if (set.startsWith('!')) set = `^${set.slice(1)}`;
      source += `[${set.replace(/\\/g, '\\\\')}]`;
      i = close;
    } else source += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Existing paths matching an absolute pattern, sorted byte-wise like glob(3) under LC_ALL=C. */
export function expandGlob(pattern: string): string[] {
  let paths = ['/'];
  for (const part of pattern.split('/').filter((p) => p !== '')) {
    const next: string[] = [];
    for (const base of paths) {
      if (!isPattern(part)) {
        next.push(join(base, part));
        continue;
      }
      const re = componentRegExp(part);
      let names: string[] = [];
      try {
        names = readdirSync(base);
      } catch {
        // not a directory, or unreadable: no match there, as glob(3) says
      }
      for (const name of names) {
        if (name.startsWith('.') && !part.startsWith('.')) continue;
        if (re.test(name)) next.push(join(base, name));
      }
    }
    paths = next;
  }
  const found: string[] = [];
  for (const path of paths) if (exists(path)) found.push(path);
  return found.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}
