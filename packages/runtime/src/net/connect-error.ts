import type { PeerCertificate } from 'node:tls';

// One vocabulary for talking to a service over a socket, whatever the service: the same failure
// gets the same code and the same words in every agent (see the README, "Error codes").

/** Why a connection could not be made. */
export type ConnectErrorCode =
  /** ECONNREFUSED: nothing listens (on a unix socket: a file left behind by a dead server). */
  | 'CONNECT_REFUSED'
  /** ENOENT on a unix socket: no such file (the service is not running, or listens elsewhere). */
  | 'SOCKET_MISSING'
  /** EACCES/EPERM on a unix socket: its mode or directory keeps us out. */
  | 'SOCKET_DENIED'
  /** The name does not resolve (ENOTFOUND, EAI_AGAIN...). */
  | 'HOST_UNKNOWN'
  /** EHOSTUNREACH, ENETUNREACH: no route to the host. */
  | 'HOST_UNREACHABLE'
  /** No connection (or TLS handshake) in time: the kernel's ETIMEDOUT or our own bound. */
  | 'CONNECT_TIMEOUT'
  /** ECONNRESET, EPIPE while connecting. */
  | 'CONNECTION_RESET'
  /** The TLS handshake failed: certificate, CA, TLS spoken to a plain port. */
  | 'TLS_FAILED'
  /** Anything else. */
  | 'CONNECT_FAILED';

/** Every conversation over a socket can also end in these, whatever its protocol. */
export type ConversationErrorCode =
  | ConnectErrorCode
  /** Connected, but no answer in time. */
  | 'NO_ANSWER'
  /** The peer closed or reset the connection before it answered. */
  | 'CLOSED'
  /** The caller's AbortSignal fired (the action's deadline). */
  | 'ABORTED';

export interface SocketProblem {
  readonly code: ConversationErrorCode;
  /** The operator's words, without the endpoint: "connection refused", "TLS handshake failed: ...". */
  readonly text: string;
}

type SocketError = NodeJS.ErrnoException & { hostname?: string; reason?: unknown; host?: string; cert?: PeerCertificate };

/** Words for a TLS failure: what a certificate names instead of the host, else OpenSSL's short reason. */
function tlsText(error: SocketError): string {
  if (error.code === 'ERR_TLS_CERT_ALTNAME_INVALID' && error.cert) {
    const names = error.cert.subjectaltname || (error.cert.subject?.CN ? `CN=${error.cert.subject.CN}` : 'no name');
    return `the certificate names ${names}, not ${error.host}`;
  }
  // OpenSSL errors carry a short `reason` ("tlsv13 alert certificate required") under a long message
  return typeof error.reason === 'string' && error.reason !== '' ? error.reason : error.message.trim();
}

/** An error of TLS itself (certificate, alert, handshake), not of the connection under it. */
export function isTlsError(error: NodeJS.ErrnoException): boolean {
  const code = error.code ?? '';
  return code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') || code.includes('CERT') || (error.syscall === undefined && /certificate|ssl|tls/i.test(error.message));
}

/**
 * The code and words for an error a socket emitted. `connected`: the connection was up, so a reset
 * means the peer hung up before it answered. `tls`: a TLS handshake was under way, so a reset is
 * most likely TLS spoken to a plain port, and an error without a system call is TLS's own.
 */
export function socketProblem(error: SocketError, options: { tls?: boolean; connected?: boolean } = {}): SocketProblem {
  if (options.connected && (error.code === 'ECONNRESET' || error.code === 'EPIPE')) return { code: 'CLOSED', text: 'connection reset before an answer' };
  switch (error.code) {
    case 'ECONNREFUSED':
      return { code: 'CONNECT_REFUSED', text: 'connection refused' };
    case 'ENOENT':
      return { code: 'SOCKET_MISSING', text: 'socket does not exist' };
    case 'EACCES':
    case 'EPERM':
      return { code: 'SOCKET_DENIED', text: 'permission denied' };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
    case 'EAI_NODATA':
      return { code: 'HOST_UNKNOWN', text: `cannot resolve ${error.hostname ?? 'the host'} (${error.code})` };
    case 'EHOSTUNREACH':
      return { code: 'HOST_UNREACHABLE', text: 'host unreachable' };
    case 'ENETUNREACH':
      return { code: 'HOST_UNREACHABLE', text: 'network unreachable' };
    case 'ETIMEDOUT':
      return { code: 'CONNECT_TIMEOUT', text: 'connection timed out' };
    case 'ECONNRESET':
    case 'EPIPE':
      if (options.tls) return { code: 'TLS_FAILED', text: 'TLS handshake failed: connection closed by the server (is this a TLS port?)' };
      return { code: 'CONNECTION_RESET', text: 'connection reset' };
  }
  if (isTlsError(error) || (options.tls && error.syscall === undefined)) return { code: 'TLS_FAILED', text: `TLS handshake failed: ${tlsText(error)}` };
  return { code: 'CONNECT_FAILED', text: error.message };
}

/** Words for a TLS error on an established connection (an alert: the server refused our certificate). */
export function tlsFailure(error: NodeJS.ErrnoException): string {
  return tlsText(error);
}
