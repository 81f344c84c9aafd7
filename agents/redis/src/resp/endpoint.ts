/** TLS as Redis configures it (tls-ca-cert-file, tls-cert-file, tls-key-file): file contents, not paths. */
export interface TlsSettings {
  /** CA certificates (PEM) that signed the server's certificate; default: Node's bundled roots. */
  ca?: string | Buffer;
  /** Client certificate and key (PEM), for servers with tls-auth-clients yes. */
  cert?: string | Buffer;
  key?: string | Buffer;
  /** SNI name; default: the host when it is a name, none for an address. */
  servername?: string;
  /**
   * Also check that the certificate names the host. Off by default, like redis-cli and replicas
   * (hiredis and Redis check the chain against the CA, not the name): clusters reach Redis by
   * addresses and node names that certificates rarely list.
   */
  verifyHostname?: boolean;
}

/** Where a Redis listens: a unix socket, or TCP (optionally with TLS). */
export type Endpoint = { path: string } | { host: string; port: number; tls?: TlsSettings };

/** How an endpoint reads in messages: `/run/redis/redis.sock`, `10.0.0.2:6379`, `[::1]:6380 (TLS)`. */
export function describeEndpoint(endpoint: Endpoint): string {
  if ('path' in endpoint) return endpoint.path;
  const host = endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host;
  return `${host}:${endpoint.port}${endpoint.tls ? ' (TLS)' : ''}`;
}
