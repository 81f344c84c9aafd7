import { basename } from 'node:path';
import { main } from './ha-monitor.ts';

// The executable's entry (bundled to dist/bin/tfs-ha-monitor).
main(process.argv.slice(2), { program: basename(process.argv[1] ?? 'tfs-ha-monitor') }).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`tfs-ha-monitor: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
