// Children of `npm start` must not outlive it, even when it is killed with
// SIGKILL and cannot forward a signal: they notice they were re-parented.
export function exitWithParent(stop: (reason: string) => void, intervalMs = 1_000): void {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) stop('parent process exited');
  }, intervalMs).unref();
}
