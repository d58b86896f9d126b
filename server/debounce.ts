// Debounced work per document. The first change after a quiet spell is handled
// on the next turn of the event loop (so every change already received is
// included and an isolated edit gets its diagnostics at once); changes that keep
// coming within `delayMs` of the last run are coalesced into one run `delayMs`
// after the latest, and never postponed by more than `maxWaitMs`.

interface Pending {
  cancel(): void;
  /** When the first change of this burst arrived. */
  first: number;
  /** Scheduled for the next turn of the loop (it will see every change received so far). */
  immediate: boolean;
}

export class Debouncer {
  private readonly pending = new Map<string, Pending>();
  private readonly lastRun = new Map<string, number>();

  constructor(
    private readonly delayMs: number,
    private readonly maxWaitMs: number,
  ) {}

  trigger(key: string, fn: () => void): void {
    const now = performance.now();
    const p = this.pending.get(key);
    if (p?.immediate) return;
    p?.cancel();
    const first = p?.first ?? now;
    const quiet = !p && now - (this.lastRun.get(key) ?? -Infinity) >= this.delayMs;
    const delay = quiet ? 0 : Math.max(0, Math.min(this.delayMs, first + this.maxWaitMs - now));
    const run = (): void => {
      this.pending.delete(key);
      this.lastRun.set(key, performance.now());
      fn();
    };
    if (delay === 0) {
      const h = setImmediate(run);
      this.pending.set(key, { cancel: () => clearImmediate(h), first, immediate: true });
    } else {
      const h = setTimeout(run, delay);
      this.pending.set(key, { cancel: () => clearTimeout(h), first, immediate: false });
    }
  }

  cancel(key: string): void {
    this.pending.get(key)?.cancel();
    this.pending.delete(key);
    this.lastRun.delete(key);
  }
}
