import { connect, createServer, type Server } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { socketProblem } from './connect-error.ts';

/** The error a real connection attempt emits. */
function errorOf(options: { path: string } | { host: string; port: number }): Promise<NodeJS.ErrnoException> {
  return new Promise((resolve, reject) => {
    const socket = connect(options as never);
    socket.once('connect', () => reject(new Error('connected')));
    socket.once('error', resolve);
  });
}

const errno = (code: string, extra: object = {}) => Object.assign(new Error(`${code} from the kernel`), { code, syscall: 'connect', ...extra });

describe('socketProblem', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ocfkit-socket-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('says "connection refused" where nothing listens', async () => {
    const server: Server = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    expect(socketProblem(await errorOf({ host: '127.0.0.1', port }))).toEqual({ code: 'CONNECT_REFUSED', text: 'connection refused' });
  });
  it('says "socket does not exist" for a missing unix socket', async () => {
    expect(socketProblem(await errorOf({ path: join(dir, 'none.sock') }))).toEqual({ code: 'SOCKET_MISSING', text: 'socket does not exist' });
  });
  it('names the host that does not resolve', async () => {
    expect(socketProblem(await errorOf({ host: 'no-such-host.invalid', port: 1 }))).toMatchObject({ code: 'HOST_UNKNOWN', text: expect.stringMatching(/^cannot resolve no-such-host\.invalid \(E[A-Z_]+\)$/) });
  });
  // what no loopback peer produces on demand: unreachable hosts, kernel timeouts, resets
  it.for([
    ['EHOSTUNREACH', {}, { code: 'HOST_UNREACHABLE', text: 'host unreachable' }],
    ['ENETUNREACH', {}, { code: 'HOST_UNREACHABLE', text: 'network unreachable' }],
    ['ETIMEDOUT', {}, { code: 'CONNECT_TIMEOUT', text: 'connection timed out' }],
    ['EACCES', {}, { code: 'SOCKET_DENIED', text: 'permission denied' }],
    ['ECONNRESET', {}, { code: 'CONNECTION_RESET', text: 'connection reset' }],
    ['ECONNRESET', { connected: true }, { code: 'CLOSED', text: 'connection reset before an answer' }],
    ['ECONNRESET', { tls: true }, { code: 'TLS_FAILED', text: 'TLS handshake failed: connection closed by the server (is this a TLS port?)' }],
    ['EMFILE', {}, { code: 'CONNECT_FAILED', text: 'EMFILE from the kernel' }],
  ] as const)('%s %o', ([code, options, expected]) => {
    expect(socketProblem(errno(code), options)).toEqual(expected);
  });
  it('says what a certificate names instead of the host', () => {
    const error = Object.assign(new Error("Hostname/IP does not match certificate's altnames"), { code: 'ERR_TLS_CERT_ALTNAME_INVALID', host: 'app.example', cert: { subjectaltname: 'DNS:localhost' } });
    expect(socketProblem(error as Parameters<typeof socketProblem>[0], { tls: true })).toEqual({ code: 'TLS_FAILED', text: 'TLS handshake failed: the certificate names DNS:localhost, not app.example' });
  });
  it('prefers OpenSSL\'s short reason to its long message', () => {
    const error = Object.assign(new Error('C0:3A:...:SSL routines:ssl3_read_bytes:tlsv13 alert certificate required'), { code: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', reason: 'tlsv13 alert certificate required' });
    expect(socketProblem(error, { tls: true })).toEqual({ code: 'TLS_FAILED', text: 'TLS handshake failed: tlsv13 alert certificate required' });
  });
});
