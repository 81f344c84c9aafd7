import { execaSync } from 'execa';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A throwaway CA and a certificate it signed for 127.0.0.1/localhost, as files and contents. */
export interface TlsFiles {
  dir: string;
  caCertFile: string;
  certFile: string;
  keyFile: string;
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
}

function openssl(cwd: string, ...args: string[]): void {
  execaSync('openssl', args, { cwd, stdin: 'ignore', stdout: 'ignore' }); // throws with the command and its stderr
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** Generate with the openssl CLI in `dir` (EC keys: fast). `name` keeps several sets apart. */
export function makeTlsFiles(parent: string, name = 'tls'): TlsFiles {
  const dir = join(parent, name);
  mkdirSync(dir, { recursive: true });
  openssl(dir, 'req', '-x509', '-new', ...EC, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', `/CN=ocfkit test CA ${name}`);
  openssl(dir, 'req', '-new', ...EC, '-keyout', 'redis.key', '-out', 'redis.csr', '-subj', '/CN=redis-test');
  writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n');
  openssl(dir, 'x509', '-req', '-in', 'redis.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'redis.crt', '-days', '2', '-extfile', 'ext.cnf');
  const files = { dir, caCertFile: join(dir, 'ca.crt'), certFile: join(dir, 'redis.crt'), keyFile: join(dir, 'redis.key') };
  return { ...files, ca: readFileSync(files.caCertFile), cert: readFileSync(files.certFile), key: readFileSync(files.keyFile) };
}
