import type { Socket } from 'node:net';

/**
 * Close a connection whose answer we have. Node's Socket.destroy() compares the socket with
 * process.stderr, and that first look builds the stderr stream: about 1 ms of CPU that every
 * monitor would pay for nothing. An agent with its answer exits before the event loop turns again,
 * so the socket is destroyed on the next turn: in a process that lives on (tests, the test kit),
 * it is closed all the same.
 */
export function hangUp(socket: Socket): void {
  setImmediate(() => socket.destroy());
}
