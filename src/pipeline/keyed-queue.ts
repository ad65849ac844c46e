/**
 * Runs tasks one at a time per key and tasks of different keys in parallel, so two quick
 * messages from one person never race while other people are not kept waiting.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();
  private pending = 0;
  private idleWaiters: Array<() => void> = [];

  /** Runs `task` after every earlier task of the same key has settled; returns its result. */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    this.pending++;
    void tail.then(() => {
      this.pending--;
      if (this.tails.get(key) === tail) this.tails.delete(key);
      if (this.pending === 0) this.notifyIdle();
    });
    return result;
  }

  /** Number of tasks queued or running. */
  get size(): number {
    return this.pending;
  }

  /** Resolves when no task is queued or running. */
  drain(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
