// Debounced work per document. The first change after a quiet spell is handled
// a moment later (LEADING_MS: the requests received with it, such as the
// completion a keystroke triggers, are answered first, and every change already
// received is included), so an isolated edit gets its diagnostics at once; changes that keep
// coming within the window of the last run are coalesced into one run a window
// after the latest, and never postponed by more than `maxWaitMs`. The window is
// per key (the server makes it twice the document's last analysis time, within
// bounds), so a cheap document answers fast and an expensive one is analysed at
// most about a third of the time while changes stream in.

/** Delay of the first run after a quiet spell. */
export const LEADING_MS = 1;

interface Pending {
  cancel(): void;
  /** When the first change of this burst arrived. */
  first: number;
  /** The leading run of a burst (it will see every change received until it runs). */
  leading: boolean;
}

export class Debouncer {
  private readonly pending = new Map<string, Pending>();
  private readonly lastRun = new Map<string, number>();

  constructor(
    private readonly windowMs: (key: string) => number,
    private readonly maxWaitMs: number,
  ) {}

  trigger(key: string, fn: () => void): void {
    const now = performance.now();
    const p = this.pending.get(key);
    if (p?.leading) return;
    p?.cancel();
    const first = p?.first ?? now;
    const window = this.windowMs(key);
    const quiet = !p && now - (this.lastRun.get(key) ?? -Infinity) >= window;
    const delay = quiet ? LEADING_MS : Math.max(0, Math.min(window, first + this.maxWaitMs - now));
    const run = (): void => {
      this.pending.delete(key);
      this.lastRun.set(key, performance.now());
      fn();
    };
    const h = setTimeout(run, delay);
    this.pending.set(key, { cancel: () => clearTimeout(h), first, leading: quiet });
  }

  cancel(key: string): void {
    this.pending.get(key)?.cancel();
    this.pending.delete(key);
    this.lastRun.delete(key);
  }
}
