import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probe, ProbeError } from './http-probe.ts';
import { parseProbeUrl } from './url.ts';

// A real TLS server on loopback with a throwaway CA made by openssl: verification on by default,
// a private CA file, mutual TLS with a client certificate, and the insecure switch.
const dir = mkdtempSync(join(tmpdir(), 'ocfkit-tls-'));
const pem = (name: string) => readFileSync(join(dir, name));
let server: Server;
let base = '';

function openssl(...args: string[]): void {
  const result = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${result.stderr}`);
}

beforeAll(async () => {
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=DNS:localhost\n');
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=ocfkit test CA', '-keyout', 'ca.key', '-out', 'ca.pem');
  for (const name of ['server', 'client']) {
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${name === 'server' ? 'localhost' : 'probe'}`, '-keyout', `${name}.key`, '-out', `${name}.csr`);
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '1', '-out', `${name}.pem`, '-extfile', 'san.ext');
  }
  server = createServer({ key: pem('server.key'), cert: pem('server.pem'), ca: pem('ca.pem'), requestCert: true, rejectUnauthorized: false }, (req, res) => {
    const client = (req.socket as import('node:tls').TLSSocket).getPeerCertificate();
    res.end(JSON.stringify({ client: client?.subject?.CN ?? null }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `https://localhost:${(server.address() as { port: number }).port}`;
}, 60_000);
afterAll(() => {
  server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const get = (tls: Parameters<typeof probe>[0]['tls']) =>
  probe({ target: parseProbeUrl(`${base}/`).target!, method: 'GET', headers: [], timeoutMs: 2000, readBody: true, tls });

describe('https health checks', () => {
  it('verify the server against the configured CA', async () => {
    expect(await get({ ca: pem('ca.pem'), insecure: false })).toEqual({ status: 200, body: '{"client":null}' });
  });
  it('refuse a server the system store does not trust, saying it is TLS', async () => {
    const error = await get({ insecure: false }).catch((e: ProbeError) => e);
    expect(error).toBeInstanceOf(ProbeError);
    expect((error as ProbeError).code).toBe('TLS_FAILED');
    expect((error as ProbeError).message).toMatch(/^TLS handshake failed: /);
  });
  it('present a client certificate for mutual TLS', async () => {
    expect(await get({ ca: pem('ca.pem'), cert: pem('client.pem'), key: pem('client.key'), insecure: false })).toEqual({ status: 200, body: '{"client":"probe"}' });
  });
  it('skip verification only when told to', async () => {
    expect((await get({ insecure: true })).status).toBe(200);
  });
});
