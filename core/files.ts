// Reading a user's file with bounds: only a regular file (never a device such as
// /dev/zero, a FIFO that blocks until a writer comes, or a socket) and only up to
// a size limit, so that a wrong path can neither hang the reader nor exhaust its
// memory. The CLI, the debug adapter and the language server share it.

import * as fs from 'node:fs';

const MiB = 1024 * 1024;

/** The most camsim reads from a scenario (`.camsim`) file. */
export const MAX_SCENARIO_BYTES = 4 * MiB;
/** The most camsim reads from a trace file. */
export const MAX_TRACE_BYTES = 64 * MiB;

export type ReadResult = { ok: true; text: string } | { ok: false; message: string };

/** `4 MiB`, `512 KiB`, `100 bytes`. */
export function formatBytes(n: number): string {
  if (n >= MiB) return `${+(n / MiB).toFixed(1)} MiB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}

function kindOf(st: fs.Stats): string {
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

function errnoText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return code ?? (e instanceof Error ? e.message : String(e));
}

/** Why a stat result is not readable within `limit`, or undefined when it is. */
function refusal(st: fs.Stats, limit: number): string | undefined {
  if (st.isDirectory()) return 'it is a directory';
  if (!st.isFile()) return `it is ${kindOf(st)}: camsim reads only regular files`;
  if (st.size > limit) return `it has ${st.size} bytes, more than the ${formatBytes(limit)} camsim reads from such a file`;
  return undefined;
}

/**
 * Reads a regular file as UTF-8, at most `limit` bytes. The message of a failure
 * says why in words (no such file, a directory, a device, too large), without the
 * file name: the caller says which file and what for.
 */
export function readTextFile(file: string, limit: number): ReadResult {
  let fd: number;
  try {
    // Checked before opening: opening a FIFO for reading waits for a writer.
    const why = refusal(fs.statSync(file), limit);
    if (why) return { ok: false, message: why };
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (e) {
    return { ok: false, message: errnoText(e) };
  }
  try {
    // The file opened may not be the one checked (replaced meanwhile): check it again.
    const why = refusal(fs.fstatSync(fd), limit);
    if (why) return { ok: false, message: why };
    // Read to the end, but never more than the limit (the file may grow while read).
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(MiB, limit + 1 - total));
      const n = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n));
      total += n;
      if (total > limit) return { ok: false, message: `it is more than the ${formatBytes(limit)} camsim reads from such a file` };
    }
    return { ok: true, text: Buffer.concat(chunks, total).toString('utf8') };
  } catch (e) {
    return { ok: false, message: errnoText(e) };
  } finally {
    fs.closeSync(fd);
  }
}
