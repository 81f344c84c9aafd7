import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { runExecutable } from '@ocfkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCa, makeCertificate, type Certificate } from './helpers/certificates.ts';
import { AGENT, HELLO, freePort, processesMentioning, requireBuilt, scratch } from './helpers/instance.ts';

// An https health check verifies the server against the host of its URL: an IP address against
// the certificate's IP entries (no SNI for an address, RFC 6066 3), a name against its DNS entries
// with SNI. The agent runs built, as Pacemaker runs it; the https side is deep_probe_url
// (OCF_CHECK_LEVEL 10), served by real TLS servers of this test with openssl-made certificates.
const { dir, cleanup } = scratch();
let ca = '';
const certs: Record<string, Certificate> = {};
let params: Record<string, string> = {};
const servers: Server[] = [];
/** The SNI name each connection sent (false: none), newest last. */
const sniSeen: Array<string | false | null> = [];

async function httpsServer(cert: Certificate, options: { requireClientCert?: boolean } = {}): Promise<number> {
  const server = createServer(
    {
      cert: readFileSync(cert.cert),
      key: readFileSync(cert.key),
      ca: readFileSync(ca),
      requestCert: options.requireClientCert ?? false,
      rejectUnauthorized: options.requireClientCert ?? false,
    },
    (req, res) => {
      sniSeen.push((req.socket as TLSSocket).servername);
      res.end('{"status":"ok"}');
    },
  );
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

const deepMonitor = (url: string, extra: Record<string, string> = {}) =>
  runExecutable(AGENT, 'monitor', { params: { ...params, deep_probe_url: url, tls_ca_file: ca, ...extra }, env: { OCF_CHECK_LEVEL: '10' }, instance: 'tls' });

beforeAll(async () => {
  requireBuilt();
  ca = makeCa(dir);
  certs.ip = makeCertificate(dir, 'ip', 'IP:127.0.0.1');
  certs.localhost = makeCertificate(dir, 'localhost', 'DNS:localhost');
  certs.other = makeCertificate(dir, 'other', 'DNS:app.example');
  certs.client = makeCertificate(dir, 'client', 'DNS:probe.example');
  const port = await freePort();
  params = {
    service_path: HELLO,
    service_args: `--port ${port} --tag ${dir}/tls`,
    probe_url: `http://127.0.0.1:${port}/health`,
    pidfile: `${dir}/tls.pid`,
    log_file: `${dir}/tls.log`,
  };
  const start = await runExecutable(AGENT, 'start', { params, instance: 'tls' });
  expect([start.code, start.reason]).toEqual([0, undefined]);
}, 60_000);

afterAll(async () => {
  for (const server of servers) server.close();
  const stop = await runExecutable(AGENT, 'stop', { params, instance: 'tls' });
  expect(stop.code).toBe(0);
  expect(processesMentioning(`${dir}/tls `)).toEqual([]);
  cleanup();
});

describe('https probe to an IP address', () => {
  it('accepts a certificate whose IP entry is that address, and sends no SNI', async () => {
    const port = await httpsServer(certs.ip!);
    const result = await deepMonitor(`https://127.0.0.1:${port}/health`);
    expect([result.code, result.reason]).toEqual([0, undefined]);
    expect(sniSeen.at(-1)).toBe(false);
  });

  it('refuses a certificate made out to "localhost", naming the mismatch', async () => {
    const port = await httpsServer(certs.localhost!);
    const url = `https://127.0.0.1:${port}/health`;
    const result = await deepMonitor(url);
    expect(result.code).toBe(1);
    expect(result.reason).toBe(`health check ${url}: TLS handshake failed: the certificate names DNS:localhost, not 127.0.0.1`);
  });

  it('still accepts it with tls_insecure', async () => {
    const port = await httpsServer(certs.localhost!);
    const result = await deepMonitor(`https://127.0.0.1:${port}/health`, { tls_insecure: 'true' });
    expect([result.code, result.reason]).toEqual([0, undefined]);
  });

  it('presents the client certificate to a server that requires one (mutual TLS)', async () => {
    const port = await httpsServer(certs.ip!, { requireClientCert: true });
    const url = `https://127.0.0.1:${port}/health`;
    const withCert = await deepMonitor(url, { tls_cert_file: certs.client!.cert, tls_key_file: certs.client!.key });
    expect([withCert.code, withCert.reason]).toEqual([0, undefined]);
    const without = await deepMonitor(url);
    expect(without.code).toBe(1);
    expect(without.reason).toMatch(new RegExp(`^health check ${url.replace(/[.]/g, '\\.')}: `));
  });
});

describe('https probe to a host name', () => {
  it('sends the name as SNI and accepts a certificate for that name', async () => {
    const port = await httpsServer(certs.localhost!);
    const result = await deepMonitor(`https://localhost:${port}/health`);
    expect([result.code, result.reason]).toEqual([0, undefined]);
    expect(sniSeen.at(-1)).toBe('localhost');
  });

  it('refuses a certificate for another name', async () => {
    const port = await httpsServer(certs.other!);
    const url = `https://localhost:${port}/health`;
    const result = await deepMonitor(url);
    expect(result.code).toBe(1);
    expect(result.reason).toBe(`health check ${url}: TLS handshake failed: the certificate names DNS:app.example, not localhost`);
  });

  it('refuses a certificate for an address when the URL names a host', async () => {
    const port = await httpsServer(certs.ip!);
    const url = `https://localhost:${port}/health`;
    const result = await deepMonitor(url);
    expect(result.code).toBe(1);
    expect(result.reason).toBe(`health check ${url}: TLS handshake failed: the certificate names IP Address:127.0.0.1, not localhost`);
  });
});
