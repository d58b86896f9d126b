// The version of camsim, from the package.json next to the running code: two
// levels up from out/core/ (the tsc build), one up from dist/ (the bundles, and an
// installed package, which always holds its package.json).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

let cached: string | undefined;

/** The package version, e.g. `0.1.0`, or `unknown` when no camsim package.json is found. */
export function camsimVersion(): string {
  if (cached !== undefined) return cached;
  cached = 'unknown';
  for (const up of ['..', '../..', '../../..']) {
    try {
      const pkg = JSON.parse(readFileSync(join(__dirname, up, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'camsim' && typeof pkg.version === 'string') {
        cached = pkg.version;
        break;
      }
    } catch {
      // Not here: try the next directory up.
    }
  }
  return cached;
}
