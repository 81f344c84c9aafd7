import type { Socket } from 'node:net';
import type { PeerCertificate } from 'node:tls';
import { builtin } from '@ocfkit/runtime';

export interface TlsOptions {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  insecure: boolean;
}

/**
 * An IP literal rather than a name (URL hosts come without brackets). Not net.isIP: its IPv6
 * expression costs milliseconds of CPU on first use, and a host name never holds a ':'.
 */
export function isAddress(host: string): boolean {
  return /^\d{1,3}(?:\.\d{1,3}){3}$/.test(host) || host.includes(':');
}

/**
 * TLS over an open connection, verified against `host`, the host of the probe URL: a name is
 * sent as SNI and must be among the certificate's DNS names; an address is not sent (RFC 6066 3
 * forbids literal addresses in SNI) and must be among its IP addresses. Node would otherwise
 * check a socket it did not open itself against "localhost".
 */
export function connectTls(plain: Socket, host: string, sni: boolean, options: TlsOptions | undefined): Socket {
  // loaded only for https probes: node:tls is the heaviest part of a TLS probe's start-up
  const tls = builtin<typeof import('node:tls')>('node:tls');
  return tls.connect({
    socket: plain,
    servername: sni && !isAddress(host) ? host : undefined,
    checkServerIdentity: (_servername: string, cert: PeerCertificate) => tls.checkServerIdentity(host, cert),
    ca: options?.ca,
    cert: options?.cert,
    key: options?.key,
    rejectUnauthorized: !(options?.insecure ?? false),
  });
}
