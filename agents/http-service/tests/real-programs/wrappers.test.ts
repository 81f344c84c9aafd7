import { describe, expect } from 'vitest';
import { unavailable } from '@ocfkit/testkit';
import { needs } from './helpers.ts';
import { lifecycle } from './lifecycle.ts';
import { family, processes } from './proc.ts';
import { PYTHON, nodeChild, pythonExec } from './wrappers.ts';

describe.skipIf(unavailable(needs(PYTHON), 'python3'))('python3 -m http.server behind a launcher that execs it', () => {
  lifecycle('exec wrapper', pythonExec, { victimIs: 'python (the wrapper exec-ed into it)' });
});

describe('node server.js behind an npm start-style launcher (a child, not exec)', () => {
  lifecycle('child of the launcher', nodeChild, { victimIs: 'the node child' });
  lifecycle('the launcher itself killed, its node child left serving', nodeChild, {
    victimIs: 'the launcher shell',
    victim: (service) => {
      const shell = service.recorded();
      expect(shell?.cmdline, 'the recorded process is the launcher').toContain('start.sh');
      expect(family(shell!.pid, processes()).length, 'the launcher has its node child').toBeGreaterThan(1);
      return shell!;
    },
  });
});
