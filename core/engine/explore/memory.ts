// What the explorer's search holds in memory, in bytes, kept up to date as it
// runs, so that a search stops at a budget in bytes (and says so) instead of
// running out of memory. The number of states says little: a state of a
// scenario with a thousand devices costs a hundred times one with ten.
//
// Counted: the exact sizes of the typed arrays that hold state keys and the
// state graph, a measured overhead per stored key, and the machines the search
// keeps alive (on the depth-first stack, in the breadth-first queue, in the
// transaction cache), each at a size computed from the scenario's shape.
//
// The per-object sizes were measured on Node 20 (x64) as the growth of
// heapUsed after a forced collection, per object: see bench/memory.ts, which
// also compares the count with the process's peak RSS.

import { getHeapStatistics } from 'node:v8';
import type { Machine } from '../../kernel/state';

/** A stored key beyond its integers: three list slots and its entry in the hash map. */
export const BYTES_PER_KEY = 80;
/** A device of the explorer's own machine copy: its object, its value list and their headers. */
const BYTES_PER_DEVICE = 185;
/** A slot of a list (a lock entry, a descriptor, a process): one pointer. */
const BYTES_PER_SLOT = 8;
/** A machine's fixed part: the machine object, the copied process and its stack. */
const BYTES_PER_MACHINE = 400;

/** The bytes of one machine copy of this shape (devices and locks copied, one process copied). */
export function machineBytes(m: Machine): number {
  let fds = 0;
  for (const p of m.procs) fds = Math.max(fds, p.fds.length);
  return BYTES_PER_MACHINE + m.devs.length * BYTES_PER_DEVICE + (m.locks.length + m.procs.length + fds) * BYTES_PER_SLOT;
}

/** The bytes of a device list kept by a cached transaction. */
export function devicesBytes(m: Machine): number {
  return m.devs.length * BYTES_PER_DEVICE + m.locks.length * BYTES_PER_SLOT;
}

/**
 * The default budget: half of what the heap may grow to. Keys and the state
 * graph live outside the heap (typed arrays), machines inside it; half leaves
 * room for the garbage a search makes between collections, and for the report.
 */
export const DEFAULT_MAX_BYTES = Math.floor(getHeapStatistics().heap_size_limit / 2);

/** `1.5 GB`, `600 MB`, `12 KB`. */
export function formatMemory(bytes: number): string {
  const units: [number, string][] = [[2 ** 30, 'GB'], [2 ** 20, 'MB'], [2 ** 10, 'KB']];
  for (const [size, unit] of units) if (bytes >= size) return `${+(bytes / size).toFixed(bytes >= 10 * size ? 0 : 1)} ${unit}`;
  return `${bytes} bytes`;
}

/** `2G`, `512M`, `1.5GB`, `800MB`, `64k`, or plain bytes; undefined when it is not a size. */
export function parseMemory(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([kmg])?i?b?$/i.exec(text.trim());
  if (!m) return undefined;
  const scale = { k: 2 ** 10, m: 2 ** 20, g: 2 ** 30 }[(m[2] ?? '').toLowerCase() as 'k' | 'm' | 'g'] ?? 1;
  const bytes = Math.floor(Number(m[1]) * scale);
  return bytes > 0 ? bytes : undefined;
}
