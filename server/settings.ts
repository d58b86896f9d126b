// The server's settings under the `camsim` section (core/protocol Settings),
// read with workspace/configuration when the client supports it, or from the
// didChangeConfiguration notification otherwise; defaults for anything missing
// or malformed.

import { Settings } from '../core/protocol';
import { DEFAULT_RACE_CHECK_SETTINGS, type RaceCheckSettings } from './raceCheck/raceChecker';

export const SECTION = 'camsim';

/** `camsim.backgroundCheck.enabled` -> the value at backgroundCheck.enabled of the section object. */
function read(section: unknown, key: string): unknown {
  let v: unknown = section;
  for (const part of key.split('.').slice(1)) {
    if (!v || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

function integer(v: unknown, min: number, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) && v >= min ? Math.floor(v) : fallback;
}

export function raceCheckSettings(section: unknown): RaceCheckSettings {
  const d = DEFAULT_RACE_CHECK_SETTINGS;
  const enabled = read(section, Settings.backgroundCheck);
  return {
    enabled: typeof enabled === 'boolean' ? enabled : d.enabled,
    maxStates: integer(read(section, Settings.backgroundCheckMaxStates), 1, d.maxStates),
    timeoutMs: integer(read(section, Settings.backgroundCheckTimeoutMs), 1, d.timeoutMs),
  };
}

/** Timing knobs a client may pass in initializationOptions (tests and benchmarks use them). */
export interface ServerTiming {
  /** The longest coalescing window of diagnostics after a change (the window is twice the last analysis time, at least 10 ms). */
  diagnosticsDelayMs: number;
  /** How long a document stays unchanged before its background check starts. */
  raceCheckDelayMs: number;
}

export const DEFAULT_TIMING: ServerTiming = { diagnosticsDelayMs: 50, raceCheckDelayMs: 400 };

export function serverTiming(options: unknown): ServerTiming {
  const o = options && typeof options === 'object' ? (options as Record<string, unknown>) : {};
  return {
    diagnosticsDelayMs: integer(o.diagnosticsDelayMs, 0, DEFAULT_TIMING.diagnosticsDelayMs),
    raceCheckDelayMs: integer(o.raceCheckDelayMs, 0, DEFAULT_TIMING.raceCheckDelayMs),
  };
}
