import { OcfError, readNodeFile, type Context } from '@ocfkit/runtime';
import { parseStatusRanges, statusAccepted } from './probe/expect-status.ts';
import { probe, ProbeError, type TlsOptions } from './probe/http-probe.ts';
import { parseProbeUrl } from './probe/url.ts';
import type { Params } from './params.ts';

async function readPem(name: string, path: string | undefined): Promise<Buffer | undefined> {
  return path ? readNodeFile(path, name) : undefined;
}

export async function tlsOptions(p: Context<Params>['params']): Promise<TlsOptions> {
  return {
    ca: await readPem('tls_ca_file', p.tls_ca_file),
    cert: await readPem('tls_cert_file', p.tls_cert_file),
    key: await readPem('tls_key_file', p.tls_key_file),
    insecure: p.tls_insecure,
  };
}

function headers(text: string): Array<[string, string]> {
  return text
    .split('|')
    .filter((h) => h.trim() !== '')
    .map((h) => {
      const colon = h.indexOf(':');
      return [h.slice(0, colon).trim(), h.slice(colon + 1).trim()];
    });
}

/**
 * Is the service healthy? Resolves, or throws OCF_ERR_GENERIC with what the operator should know:
 * the status, the refusal, the timeout. `deep` adds deep_probe_url (OCF_CHECK_LEVEL 10).
 * `timeoutMs` bounds each request below probe_timeout when the action has less time left. Each
 * request ends by the action's deadline on its own timeout; `signal` cuts it off sooner (start's
 * start_timeout). A monitor passes none, and so never makes the deadline's AbortController.
 */
export async function checkHealth(ctx: Context<Params>, options: { deep: boolean; timeoutMs?: number; signal?: AbortSignal }): Promise<void> {
  const p = ctx.params;
  const urls = [p.probe_url, ...(options.deep && p.deep_probe_url ? [p.deep_probe_url] : [])];
  const ranges = parseStatusRanges(p.expect_status).ranges!;
  const pattern = p.expect_body === undefined ? undefined : new RegExp(p.expect_body);
  const needTls = urls.some((u) => parseProbeUrl(u).target?.tls);
  const tls = needTls ? await tlsOptions(p) : undefined;
  for (const url of urls) {
    const target = parseProbeUrl(url).target!;
    const timeoutMs = Math.max(1, Math.min(p.probe_timeout, options.timeoutMs ?? p.probe_timeout, ctx.deadline.remaining()));
    let response;
    try {
      response = await probe({
        target,
        method: p.probe_method,
        headers: headers(p.probe_headers),
        timeoutMs,
        signal: options.signal,
        readBody: pattern !== undefined && p.probe_method === 'GET',
        tls,
      });
    } catch (error) {
      if (error instanceof ProbeError) throw OcfError.generic(`health check ${url}: ${error.message}`);
      throw error;
    }
    if (!statusAccepted(response.status, ranges)) {
      throw OcfError.generic(`health check ${url}: status ${response.status} (expected ${p.expect_status})`);
    }
    if (pattern && response.body !== undefined && !pattern.test(response.body)) {
      throw OcfError.generic(`health check ${url}: body does not match /${p.expect_body}/`);
    }
    ctx.log.debug('health check passed', { url, status: response.status });
  }
}
