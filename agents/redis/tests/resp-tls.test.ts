import { beforeAll, describe, expect, it } from 'vitest';
import { RedisClient, withClient } from '../src/resp/client.ts';
import { RedisError } from '../src/resp/errors.ts';
import { startFakeServer } from './helpers/fake-resp-server.ts';
import { startRedisServer, tempDir, type RedisServer } from './helpers/redis-server.ts';
import { makeTlsFiles, type TlsFiles } from './helpers/tls-files.ts';

describe('RESP client over TLS (Debian redis-server is built with OpenSSL)', () => {
  let files: TlsFiles;
  let other: TlsFiles;
  let open: RedisServer;
  let mutual: RedisServer;

  beforeAll(async () => {
    const dir = tempDir();
    files = makeTlsFiles(dir, 'good');
    other = makeTlsFiles(dir, 'other');
    [open, mutual] = await Promise.all([
      startRedisServer({ tls: files, args: ['--requirepass', 'tls-pw'] }),
      startRedisServer({ tls: files, tlsAuthClients: true }),
    ]);
  });

  it('PINGs and authenticates over TLS, trusting the given CA', async () => {
    const endpoint = { host: '127.0.0.1', port: open.tlsPort!, tls: { ca: files.ca } };
    const [pong, info] = await withClient({ endpoint, password: 'tls-pw' }, (c) => c.pipeline([['PING'], ['INFO', 'server']]));
    expect(pong).toBe('PONG');
    expect(info).toContain(`tcp_port:${open.port}`);
  });

  it('presents a client certificate when the server requires one', async () => {
    const endpoint = { host: '127.0.0.1', port: mutual.tlsPort!, tls: { ca: files.ca, cert: files.cert, key: files.key } };
    expect(await withClient({ endpoint }, (c) => c.command(['PING']))).toBe('PONG');
  });

  it('is refused without a client certificate where one is required', async () => {
    const endpoint = { host: '127.0.0.1', port: mutual.tlsPort!, tls: { ca: files.ca } };
    const error = (await withClient({ endpoint }, (c) => c.command(['PING'])).catch((e: unknown) => e)) as RedisError;
    expect(error).toBeInstanceOf(RedisError);
    // TLS 1.3 finishes the client's side of the handshake before the server checks the certificate:
    // the refusal arrives as an alert on the connection (or, if it loses the race, as a close)
    expect([
      `TLS_FAILED TLS with redis at 127.0.0.1:${mutual.tlsPort} (TLS) failed: tlsv13 alert certificate required`,
      `CLOSED redis at 127.0.0.1:${mutual.tlsPort} (TLS) closed the connection`,
    ]).toContain(`${error.code} ${error.message}`);
  });

  it('rejects a server certificate from another CA', async () => {
    const endpoint = { host: '127.0.0.1', port: open.tlsPort!, tls: { ca: other.ca } };
    await expect(RedisClient.connect({ endpoint })).rejects.toMatchObject({ name: 'RedisError', code: 'TLS_FAILED', message: `cannot connect to redis at 127.0.0.1:${open.tlsPort} (TLS): TLS handshake failed: self-signed certificate in certificate chain` });
  });

  it('checks the host name only when asked', async () => {
    const endpoint = { host: '127.0.0.1', port: open.tlsPort!, tls: { ca: files.ca, servername: 'redis.example.org', verifyHostname: true } };
    await expect(RedisClient.connect({ endpoint })).rejects.toMatchObject({ name: 'RedisError', code: 'TLS_FAILED', message: `cannot connect to redis at 127.0.0.1:${open.tlsPort} (TLS): TLS handshake failed: the certificate names IP Address:127.0.0.1, DNS:localhost, not redis.example.org` });
    const named = { ...endpoint, host: 'localhost', tls: { ca: files.ca, verifyHostname: true } };
    expect(await withClient({ endpoint: named, password: 'tls-pw' }, (c) => c.command(['PING']))).toBe('PONG');
  });

  it('says so when TLS is spoken to a plain port (Redis waits for a command line that never ends)', async () => {
    const endpoint = { host: '127.0.0.1', port: open.port, tls: { ca: files.ca } };
    await expect(RedisClient.connect({ endpoint, connectTimeoutMs: 300 })).rejects.toMatchObject({ name: 'RedisError', code: 'CONNECT_TIMEOUT', message: `cannot connect to redis at 127.0.0.1:${open.port} (TLS): no TLS handshake within 300ms (is this a TLS port?)` });
  });

  it('bounds connecting by the connect timeout', async () => {
    const silent = await startFakeServer();
    const endpoint = { host: '127.0.0.1', port: silent.tcp.port, tls: { ca: files.ca } };
    await expect(RedisClient.connect({ endpoint, connectTimeoutMs: 150 })).rejects.toMatchObject({ name: 'RedisError', code: 'CONNECT_TIMEOUT', message: `cannot connect to redis at 127.0.0.1:${silent.tcp.port} (TLS): no TLS handshake within 150ms (is this a TLS port?)` });
    await silent.close();
  });
});
