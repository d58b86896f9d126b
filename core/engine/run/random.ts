// A small seeded generator (mulberry32), so that a seed names one run exactly.

/** One draw: the next state and a value in [0, 1). Pure, so a recorded state can continue the sequence. */
export function mulberry32(state: number): { state: number; value: number } {
  const a = (state + 0x6d2b79f5) >>> 0;
  let t = a;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return { state: a, value: ((t ^ (t >>> 14)) >>> 0) / 4294967296 };
}

export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    const r = mulberry32(state);
    state = r.state;
    return r.value;
  };
}
