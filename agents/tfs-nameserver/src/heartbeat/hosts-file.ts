import { readFileSync } from 'node:fs';
import { isIPv4 } from 'node:net';

/**
 * The IPv4 address /etc/hosts gives `name`, as gethostbyname() finds it through the "files"
 * source before DNS. Looking there first also spares each monitor Node's resolver, which starts
 * a thread pool for getaddrinfo (about 6 ms of CPU per call for "localhost", the nsip default).
 */
export function hostsFileAddress(name: string, path = '/etc/hosts'): string | undefined {
  // the nsip default, on every monitor: RFC 6761 reserves it for loopback, no need to read a file
  if (name.toLowerCase() === 'localhost' && path === '/etc/hosts') return '127.0.0.1';
  let text: string;
  try {
    text = readFileSync(path, 'latin1');
  } catch {
    return undefined;
  }
  const wanted = name.toLowerCase();
  for (const line of text.split('\n')) {
    const [address, ...names] = line.replace(/#.*/, '').trim().split(/\s+/);
    if (address && isIPv4(address) && names.some((n) => n.toLowerCase() === wanted)) return address;
  }
  return undefined;
}
