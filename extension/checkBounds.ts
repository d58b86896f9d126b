// The bounds of a check, from the settings to the CLI's options. A setting left
// empty (null) leaves the CLI's own default. No editor imports.

export interface CheckBounds {
  maxStates?: number | null;
  maxDepth?: number | null;
  preemptionBound?: number | null;
  timeoutSeconds?: number | null;
}

const OPTIONS: [keyof CheckBounds, string][] = [
  ['maxStates', '--max-states'],
  ['maxDepth', '--max-depth'],
  ['preemptionBound', '--preemption-bound'],
  ['timeoutSeconds', '--timeout'],
];

/** `--max-states N` and the like, for the bounds that are set to a whole number >= 0 (>= 1 for a timeout). */
export function checkBoundArgs(bounds: CheckBounds): string[] {
  const args: string[] = [];
  for (const [key, option] of OPTIONS) {
    const value = bounds[key];
    const least = key === 'preemptionBound' ? 0 : 1;
    if (typeof value === 'number' && Number.isInteger(value) && value >= least) args.push(option, String(value));
  }
  return args;
}
