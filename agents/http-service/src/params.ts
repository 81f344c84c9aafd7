import { budgetShare, param, splitWords } from '@ocfkit/runtime';
import { parseProbeUrl } from './probe/url.ts';
import { parseStatusRanges } from './probe/expect-status.ts';
import { environmentSecrets, headerSecrets, urlSecrets } from './secret-parts.ts';

const words = (value: string) => (splitWords(value) === undefined ? 'words with balanced quotes' : undefined);
const url = (value: string) => parseProbeUrl(value).problem;

/** stop_timeout unset: this share of what stop has goes to SIGTERM's grace, the rest to SIGKILL and its wait. */
export const STOP_GRACE = budgetShare(2, 3, 'stop');

/** Every parameter of http-service, declared once: metadata, parsing, defaults and docs come from here. */
export const params = {
  service_path: param.path({
    required: true,
    unique: true,
    shortdesc: 'Program to run',
    longdesc:
      'Absolute path of the program that provides the service. It is started directly, without a shell, as the configured user.',
  }),
  service_args: param.string({
    default: '',
    shortdesc: 'Arguments for the program',
    longdesc:
      'Arguments passed to service_path, split into words like a shell would split them (single and double quotes, backslash), but with no variable expansion, globbing or command substitution: no shell is involved.',
    check: words,
  }),
  probe_url: param.string({
    required: true,
    shortdesc: 'URL that answers when the service is healthy',
    longdesc:
      'Health check URL: http://host:port/path, https://host:port/path, or a unix socket as http+unix://%2Frun%2Fapp.sock/path (the socket path percent-encoded as the host). start returns only once this URL answers as expected, and, when it points at this node, only once the answer comes from the process start launched (the holder of the listening socket): another program on the same port never passes for the service. monitor checks it every time.',
    check: url,
    secret: urlSecrets,
  }),
  deep_probe_url: param.string({
    shortdesc: 'Heavier health URL for OCF_CHECK_LEVEL 10',
    longdesc:
      'Optional second health URL checked only by monitors configured with OCF_CHECK_LEVEL=10 (for example an endpoint that also checks the database). Same forms as probe_url, same expectations.',
    check: url,
    secret: urlSecrets,
  }),
  expect_status: param.string({
    default: '200-399',
    shortdesc: 'HTTP status codes that count as healthy',
    longdesc: 'Comma-separated status codes and ranges, for example "200", "200,204" or "200-299".',
    check: (value) => parseStatusRanges(value).problem,
  }),
  expect_body: param.string({
    shortdesc: 'Regular expression the response body must match',
    longdesc:
      'When set, the health check also reads the body (up to 64 KiB) and requires it to match this JavaScript regular expression, for example "status.:.ok".',
    check: (value) => {
      try {
        new RegExp(value);
        return undefined;
      } catch (error) {
        return `a valid regular expression (${(error as Error).message})`;
      }
    },
  }),
  probe_headers: param.string({
    default: '',
    shortdesc: 'Extra request headers',
    longdesc:
      'Headers sent with every health check, separated by "|": for example "Host: app.example.com|Authorization: Bearer abc". Their values are shown as *** in exit reasons and logs (except those of Host, Accept, User-Agent and similar headers that carry no credential).',
    check: (value) =>
      value === '' || value.split('|').every((h) => /^[!#$%&'*+.^_`|~0-9A-Za-z-]+:.*$/.test(h.trim()))
        ? undefined
        : '"Name: value" headers separated by |',
    secret: headerSecrets,
  }),
  probe_method: param.select({ options: ['GET', 'HEAD'], default: 'GET', shortdesc: 'HTTP method of the health check' }),
  probe_timeout: param.duration({
    default: '5s',
    min: '10ms',
    shortdesc: 'How long one health check may take',
    longdesc: 'Time allowed for one health check request (connect, send, receive). Also bounded by the action timeout.',
  }),
  tls_ca_file: param.path({ shortdesc: 'CA bundle for https probes', longdesc: 'PEM file of the certificate authorities trusted for an https probe_url (default: the system store).' }),
  tls_cert_file: param.path({ shortdesc: 'Client certificate for https probes', longdesc: 'PEM client certificate for services that require mutual TLS. Needs tls_key_file.' }),
  tls_key_file: param.path({ shortdesc: 'Client key for https probes', longdesc: 'PEM private key matching tls_cert_file.' }),
  tls_insecure: param.boolean({ default: false, shortdesc: 'Skip certificate verification', longdesc: 'Accept any server certificate on https probes (self-signed test setups only).' }),
  workdir: param.path({ default: '/', directory: true, shortdesc: 'Working directory of the program' }),
  user: param.string({ default: 'root', shortdesc: 'User the program runs as', longdesc: 'The program runs as this user, with its supplementary groups, without a shell.' }),
  group: param.string({ shortdesc: 'Group the program runs as', longdesc: "Primary group of the program (default: the user's primary group)." }),
  environment: param.string({
    default: '',
    shortdesc: 'Environment of the program',
    longdesc:
      'Variables for the program as KEY=VALUE words (quoted like service_args), for example "PORT=8080 MODE=\'blue green\'". The program gets only these plus PATH, HOME, USER and LOGNAME, never the cluster\'s own environment. The values are shown as *** in exit reasons and logs (except numbers of up to five digits, yes/no words and values shorter than four characters).',
    check: (value) => {
      const list = splitWords(value);
      if (list === undefined) return 'KEY=VALUE words with balanced quotes';
      return list.every((w) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(w)) ? undefined : 'KEY=VALUE words';
    },
    secret: environmentSecrets,
  }),
  log_file: param.path({
    default: ({ instance }) => `/var/log/ocfkit/http-service-${instance}.log`,
    defaultText: '/var/log/ocfkit/http-service-<instance>.log',
    shortdesc: 'File that receives the program\'s output',
    longdesc: 'stdout and stderr of the program are appended here; start quotes its last lines when the program dies during start.',
  }),
  pidfile: param.path({
    default: ({ instance }) => `/run/ocfkit/http-service-${instance}.pid`,
    defaultText: '/run/ocfkit/http-service-<instance>.pid',
    unique: true,
    shortdesc: 'Pidfile',
    longdesc:
      'Where the agent records the program\'s pid (daemonize=false), or where the program writes its own pidfile (daemonize=true).',
  }),
  daemonize: param.boolean({
    default: false,
    shortdesc: 'The program forks into the background by itself',
    longdesc:
      'false: the program stays in the foreground and the agent records its pid. true: the program daemonizes and writes its own pid to pidfile; the agent waits for that file.',
  }),
  start_timeout: param.duration({
    shortdesc: 'Give up starting after this long',
    longdesc: 'Optional bound on start, shorter than the start operation\'s timeout. Unset: start waits for the health check until just before the operation\'s timeout.',
  }),
  stop_timeout: param.duration({
    shortdesc: 'Grace period between SIGTERM and SIGKILL',
    longdesc: `How long stop waits after SIGTERM before it sends SIGKILL to the whole process group. Unset: ${STOP_GRACE.text}.`,
  }),
};

export type Params = typeof params;
