#!/usr/bin/env node
// A small HTTP service for the demo and the tests: `hello-server.mjs [--port N | --socket PATH]`.
// GET /health answers 200 {"status":"ok"}; GET / answers a greeting. Knobs for the tests:
//   --startup-delay MS   listen only after this long (a slow start)
//   --unhealthy          /health answers 503
//   --fail-start TEXT    print TEXT to stderr and exit 3 before listening
//   --ignore-term        ignore SIGTERM (stop must escalate to SIGKILL)
//   --daemonize PIDFILE  fork into the background, the child writes PIDFILE, the parent exits 0
//   --child NAME         also start a helper child process (sleep) in the same process group
import { spawn } from 'node:child_process';
import { writeFileSync, unlinkSync } from 'node:fs';
import { createServer } from 'node:http';

const args = process.argv.slice(2);
const option = (name) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const flag = (name) => args.includes(name);

const pidfile = option('--daemonize');
if (pidfile && !process.env.HELLO_DAEMON_CHILD) {
  const child = spawn(process.execPath, [process.argv[1], ...args], {
    detached: true,
    stdio: 'inherit',
    env: { ...process.env, HELLO_DAEMON_CHILD: '1' },
  });
  child.unref();
  process.exit(0);
}

const failText = option('--fail-start');
if (failText) {
  console.error(failText);
  process.exit(3);
}
if (flag('--ignore-term')) process.on('SIGTERM', () => console.log('SIGTERM ignored'));
else process.on('SIGTERM', () => {
  console.log('SIGTERM: shutting down');
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 200).unref();
});
if (option('--child')) spawn('sleep', ['3600'], { stdio: 'ignore' });

const server = createServer((req, res) => {
  if (req.url === '/health') {
    const healthy = !flag('--unhealthy');
    res.writeHead(healthy ? 200 : 503, { 'content-type': 'application/json' });
    return res.end(JSON.stringify({ status: healthy ? 'ok' : 'down' }));
  }
  if (req.url !== '/') {
    res.writeHead(404, { 'content-type': 'text/plain' });
    return res.end('not found\n');
  }
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end(`hello from pid ${process.pid}\n`);
});

setTimeout(() => {
  const socket = option('--socket');
  const onListening = () => {
    if (pidfile) writeFileSync(pidfile, `${process.pid}\n`);
    console.log(`listening on ${socket ?? option('--port')} (pid ${process.pid})`);
  };
  server.on('error', (error) => {
    console.error(`cannot listen: ${error.message}`);
    process.exit(4);
  });
  if (socket) {
    try {
      unlinkSync(socket);
    } catch {}
    server.listen(socket, onListening);
  } else server.listen(Number(option('--port') ?? 8080), option('--host') ?? '127.0.0.1', onListening);
}, Number(option('--startup-delay') ?? 0));
