import type { Clock, TimerHandle } from '../api/clock';

/** Cancellable waits on the runtime clock, so a shutdown can wake every retry loop at once. */
export class Sleeper {
  private readonly pending = new Map<TimerHandle, () => void>();

  constructor(private readonly clock: Clock) {}

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const handle = this.clock.setTimeout(() => {
        this.pending.delete(handle);
        resolve();
      }, ms);
      handle.unref();
      this.pending.set(handle, resolve);
    });
  }

  wakeAll(): void {
    for (const [handle, resolve] of this.pending) {
      this.clock.clear(handle);
      resolve();
    }
    this.pending.clear();
  }
}

/** Rejects with `onTimeout()` when `promise` has not settled after `ms` (0 = no limit). */
export function withTimeout<T>(promise: Promise<T>, ms: number, clock: Clock, onTimeout: () => Error): Promise<T> {
  if (ms <= 0) return promise;
  return new Promise<T>((resolve, reject) => {
    const handle = clock.setTimeout(() => reject(onTimeout()), ms);
    handle.unref();
    promise.then(
      (v) => {
        clock.clear(handle);
        resolve(v);
      },
      (e: unknown) => {
        clock.clear(handle);
        reject(e);
      },
    );
  });
}
