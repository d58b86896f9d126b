// For "why is it 0?": per counter path (`pass0.refcount`), the steps that wrote
// it, in order. Built as steps are recorded, so answering costs nothing however
// long the run is; four bytes per write.

import type { Change } from '../../core/engine/run/observe';
import { grown } from '../../core/growable';

class Steps {
  data = new Int32Array(16);
  length = 0;

  push(v: number): void {
    if (this.length === this.data.length) this.data = grown(this.data);
    this.data[this.length++] = v;
  }
}

export class WriteIndex {
  private readonly byPath = new Map<string, Steps>();

  /** Records that step `index` made `changes`. Steps must be added in increasing order. */
  add(index: number, changes: readonly Change[]): void {
    for (const c of changes) {
      let s = this.byPath.get(c.path);
      if (!s) {
        s = new Steps();
        this.byPath.set(c.path, s);
      }
      s.push(index);
    }
  }

  /** Forgets every write at step `n` or later. */
  truncate(n: number): void {
    for (const s of this.byPath.values()) {
      while (s.length > 0 && s.data[s.length - 1] >= n) s.length--;
    }
  }

  /** The steps before `before` that wrote `path`, newest first, at most `limit`. */
  writes(path: string, before: number, limit: number): number[] {
    const s = this.byPath.get(path);
    const out: number[] = [];
    if (!s) return out;
    for (let i = this.count(path, before) - 1; i >= 0 && out.length < limit; i--) out.push(s.data[i]);
    return out;
  }

  /** How many steps before `before` wrote `path`. */
  count(path: string, before: number): number {
    const s = this.byPath.get(path);
    if (!s) return 0;
    let lo = 0;
    let hi = s.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (s.data[mid] < before) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
