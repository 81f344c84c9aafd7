import { realpath, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { OcfError, allowedTo, checkPidfilePath, lookupUser, requireExecutable, type Context } from '@ocfkit/runtime';
import { nsPidfile, readNsConf } from '../config/ns-conf.ts';
import { binaryPath } from '../nameserver.ts';
import type { Params } from '../params.ts';

/** The same file, even when one path goes through a symbolic link (/home/admin/tfs -> /data/tfs). */
async function samePath(a: string, b: string): Promise<boolean> {
  if (resolve(a) === resolve(b)) return true;
  const real = (p: string) => realpath(dirname(p)).then((d) => `${d}/${p.slice(p.lastIndexOf('/') + 1)}`, () => resolve(p));
  return (await real(a)) === (await real(b));
}

/** The directory itself when it exists, else its nearest existing ancestor: where a mkdir -p starts. */
async function nearestExisting(dir: string): Promise<string> {
  for (let at = dir; ; at = dirname(at)) {
    if (await stat(at).then(() => true, () => false)) return at;
    if (at === '/') return at;
  }
}

/**
 * Syntax was checked when the parameters were parsed (6, naming the parameter). Here the node:
 * 5 when the NameServer or the monitor tool is missing or unusable (Pacemaker tries another
 * node), 6 when the configuration cannot work anywhere.
 */
export async function validateAll(ctx: Context<Params>): Promise<void> {
  const p = ctx.params;
  const binary = requireExecutable(binaryPath(p.basedir), 'basedir', ctx.env);
  const user = await lookupUser(p.user);
  if (!user) throw OcfError.installed(`user ${p.user} does not exist on this node`);
  // there but not permitted to the user the NameServer runs as: permissions (4), by the error rule
  if (!(await allowedTo(user, binary, 'execute'))) throw OcfError.perm(`${binary} is not executable by user ${p.user}`);

  const conf = await readNsConf(p.basedir);
  if (!(await allowedTo(user, conf.path, 'read'))) throw OcfError.perm(`${conf.path} is not readable by user ${p.user}`);
  if (conf.port !== p.nsport) {
    throw OcfError.configured(`nsport ${p.nsport} differs from [public] port ${conf.port} in ${conf.path}: the heartbeat would go to the wrong port`);
  }
  // the NameServer writes <work_dir>/logs/nameserver.pid whatever we say: watch any other file and start never sees it
  const written = nsPidfile(conf);
  if (!(await samePath(p.pidfile, written))) {
    throw OcfError.configured(`pidfile ${p.pidfile}: the NameServer writes ${written} (work_dir in ${conf.path})`);
  }
  await checkPidfilePath(p.pidfile);
  // the NameServer, as user, creates <work_dir>/logs and writes its pidfile there; refused, it
  // dies before it can log a word, and start could only say that no pidfile came
  const logs = dirname(written);
  const creates = await nearestExisting(logs);
  if (!(await allowedTo(user, creates, 'write'))) {
    throw OcfError.perm(`${creates} is not writable by user ${p.user}: the NameServer writes ${written}`);
  }
  if (p.montool !== undefined) requireExecutable(p.montool, 'montool', ctx.env);
}
