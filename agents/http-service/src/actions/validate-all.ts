import { access, constants, stat } from 'node:fs/promises';
import { OcfError, allowedTo, checkPidfilePath, lookupGroup, lookupUser, requireExecutable, type Context } from '@ocfkit/runtime';
import { tlsOptions } from '../health.ts';
import { parseProbeUrl } from '../probe/url.ts';
import type { Params } from '../params.ts';

/**
 * Syntax was checked when the parameters were parsed (exit 6 naming the parameter); here the node
 * itself: the program (5 when missing: Pacemaker tries another node), the user, the paths.
 */
export async function validateAll(ctx: Context<Params>): Promise<void> {
  const p = ctx.params;
  requireExecutable(p.service_path, 'service_path', ctx.env);
  const user = await lookupUser(p.user);
  // a user or directory missing here is this node's problem (5: Pacemaker tries another node)
  if (!user) throw OcfError.installed(`user ${p.user} does not exist on this node`);
  const group = p.group === undefined ? undefined : await lookupGroup(p.group);
  if (p.group !== undefined && !group) throw OcfError.installed(`group ${p.group} does not exist on this node`);
  // there, but not for the user it runs as: permissions (4), as start would find out at exec
  if (!(await allowedTo(user, p.service_path, 'execute', { gid: group?.gid }))) throw OcfError.perm(`service_path: ${p.service_path} is not executable by user ${p.user}`);
  const workdir = await stat(p.workdir).catch(() => undefined);
  if (!workdir?.isDirectory()) throw OcfError.installed(`workdir ${p.workdir} is not a directory on this node`);
  await checkPidfilePath(p.pidfile);
  // the same checks fit the log file: a directory, or a path through a file, is this node's problem (5)
  await checkPidfilePath(p.log_file, 'log_file');
  if ((p.tls_cert_file === undefined) !== (p.tls_key_file === undefined)) {
    throw OcfError.configured('tls_cert_file and tls_key_file go together: set both or neither');
  }
  const tls = [p.probe_url, p.deep_probe_url].some((u) => u !== undefined && parseProbeUrl(u).target?.tls);
  if (tls) await tlsOptions(p);
  if (p.expect_body !== undefined && p.probe_method === 'HEAD') {
    throw OcfError.configured('expect_body needs probe_method=GET: a HEAD response has no body');
  }
  for (const url of [p.probe_url, p.deep_probe_url]) {
    const socket = url === undefined ? undefined : parseProbeUrl(url).target?.socketPath;
    if (socket) {
      // the socket may not exist yet (the service creates it), but its directory must
      const dir = socket.slice(0, socket.lastIndexOf('/')) || '/';
      await access(dir, constants.X_OK).catch(() => {
        throw OcfError.installed(`probe socket directory ${dir} does not exist or is not searchable on this node`);
      });
    }
  }
}
