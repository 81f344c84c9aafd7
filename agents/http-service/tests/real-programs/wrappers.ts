import { join } from 'node:path';
import { RealService, freePort, htdocs, workDir, write } from './helpers.ts';

// Launchers as vendors and developers write them. The service_path is a shell script; what
// serves is another program: exec'd in place of the shell (catalina.sh, kafka-server-start.sh, any
// `#!/bin/sh` + `exec python3 ...`), or run as the shell's child while the shell waits (`npm start`).
export const PYTHON = '/usr/bin/python3';
const NODE = process.execPath;

/** Python's http.server behind a `#!/bin/sh` launcher that ends in exec. */
export async function pythonExec(): Promise<RealService> {
  const dir = workDir('python-exec');
  const port = await freePort();
  const root = htdocs(dir);
  const launcher = write(
    join(dir, 'serve.sh'),
    `#!/bin/sh
# an operator's launcher: prepare, then hand the process over to the server
cd "${root}" || exit 1
exec ${PYTHON} -m http.server --bind 127.0.0.1 --directory "${root}" "$1"
`,
    0o755,
  );
  return new RealService('python-exec', dir, port, {
    service_path: launcher,
    service_args: String(port),
    probe_url: `http://127.0.0.1:${port}/health`,
    pidfile: join(dir, 'agent.pid'),
    log_file: join(dir, 'output.log'),
  });
}

/** A Node server behind an `npm start`-style shell that runs it as a child and waits for it. */
export async function nodeChild(): Promise<RealService> {
  const dir = workDir('node-child');
  const port = await freePort();
  const server = write(
    join(dir, 'server.js'),
    `const http = require('node:http');
http.createServer((req, res) => res.end(req.url === '/health' ? 'ok\\n' : 'hello\\n')).listen(Number(process.argv[2]), '127.0.0.1');
`,
  );
  const launcher = write(
    join(dir, 'start.sh'),
    `#!/bin/sh
# what npm start does: a shell runs the script's command as its child and waits for it
cd "${dir}" || exit 1
"${NODE}" "${server}" "$@"
`,
    0o755,
  );
  return new RealService('node-child', dir, port, {
    service_path: launcher,
    service_args: String(port),
    probe_url: `http://127.0.0.1:${port}/health`,
    pidfile: join(dir, 'agent.pid'),
    log_file: join(dir, 'output.log'),
  });
}
