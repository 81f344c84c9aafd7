import { execaSync } from 'execa';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

// A throwaway CA and certificates made by openssl, as files (openssl here cannot read /dev/stdin).

export interface Certificate {
  cert: string;
  key: string;
}

function openssl(dir: string, ...args: string[]): void {
  execaSync('openssl', args, { cwd: dir, stdin: 'ignore' }); // throws with the command and its stderr
}

/** A CA in `dir` (ca.pem, ca.key); returns the path of its certificate. */
export function makeCa(dir: string): string {
  openssl(dir, 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=ocfkit test CA', '-keyout', 'ca.key', '-out', 'ca.pem');
  return join(dir, 'ca.pem');
}

/** A certificate signed by the CA of `dir`, for `subjectAltName` ("IP:127.0.0.1", "DNS:localhost"). */
export function makeCertificate(dir: string, name: string, subjectAltName: string): Certificate {
  writeFileSync(join(dir, `${name}.ext`), `subjectAltName=${subjectAltName}\n`);
  openssl(dir, 'req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.csr`);
  openssl(dir, 'x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '1', '-out', `${name}.pem`, '-extfile', `${name}.ext`);
  return { cert: join(dir, `${name}.pem`), key: join(dir, `${name}.key`) };
}
