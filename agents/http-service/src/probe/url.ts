/** Where and how to send a health check: TCP host/port or a unix socket, plain or TLS. */
export interface ProbeTarget {
  tls: boolean;
  host: string;
  port: number;
  socketPath?: string;
  /** Request target: path plus query. */
  path: string;
  /** Host header value. */
  hostHeader: string;
  /** For reasons: the URL as the operator wrote it. */
  text: string;
}

/**
 * http://h:p/x, https://h:p/x, and http+unix://%2Frun%2Fapp.sock/x (the socket path percent-encoded
 * as the host, the convention of requests-unixsocket and friends).
 */
export function parseProbeUrl(text: string): { target?: ProbeTarget; problem?: string } {
  // a monitor reads its URL three times (the parameter's check, TLS or not, the request): parsed once
  let parsed = seen.get(text);
  if (!parsed) seen.set(text, (parsed = parse(text)));
  return parsed;
}

const seen = new Map<string, { target?: ProbeTarget; problem?: string }>();

function parse(text: string): { target?: ProbeTarget; problem?: string } {
  const expected = 'an http://, https:// or http+unix:// URL';
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return { problem: expected };
  }
  const scheme = url.protocol.replace(/:$/, '');
  const path = `${url.pathname || '/'}${url.search}`;
  if (url.username || url.password) return { problem: `${expected} without credentials in it (use probe_headers)` };
  if (scheme === 'http' || scheme === 'https') {
    if (!url.hostname) return { problem: expected };
    const tls = scheme === 'https';
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    return { target: { tls, host, port: url.port ? Number(url.port) : tls ? 443 : 80, path, hostHeader: url.host, text } };
  }
  if (scheme === 'http+unix' || scheme === 'https+unix') {
    // WHATWG URL keeps the percent-encoding of a non-special scheme's host
    const socketPath = decodeURIComponent(url.host);
    if (!socketPath.startsWith('/')) return { problem: 'http+unix://%2Fabsolute%2Fpath.sock/path (percent-encoded absolute socket path)' };
    return { target: { tls: scheme === 'https+unix', host: 'localhost', port: 0, socketPath, path, hostHeader: 'localhost', text } };
  }
  return { problem: expected };
}
