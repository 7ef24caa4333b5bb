/**
 * A latch between event listeners and one waiting loop: a notification that arrives
 * while nobody waits is kept, so the next `wait()` returns at once instead of
 * sleeping through it.
 */
export class WakeSignal {
  private pending = false;
  private release: (() => void) | null = null;

  notify(): void {
    this.pending = true;
    this.release?.();
  }

  clear(): void {
    this.pending = false;
  }

  /** Resolves on `notify()`, after `ms`, or when `signal` aborts (the caller checks it). */
  wait(ms: number, signal?: AbortSignal): Promise<void> {
    if (this.pending || signal?.aborted || ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.release = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
      this.release = done;
    });
  }
}
