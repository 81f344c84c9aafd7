// Children the runtime must not leave behind: every helper process an action starts (a client,
// a tool) is registered here while it runs, and killed with its process group when the action
// hits its deadline. Services an action starts on purpose (the daemon itself) are not registered.
const running = new Set<number>();

export function trackChild(pid: number): () => void {
  running.add(pid);
  return () => running.delete(pid);
}

export function killTrackedChildren(): void {
  for (const pid of running) {
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        // already gone, or not a group leader
      }
    }
  }
  running.clear();
}
