// Short explanations of the scenario language's keywords and expectations, shared
// by completion (documentation of each item) and hover.

import { driverNames } from '../core/kernel/drivers';

export interface KeywordDoc {
  /** What to insert (may be several words, e.g. `no panic`). */
  label: string;
  /** One line for the completion list. */
  detail: string;
  /** Markdown. */
  doc: string;
}

export const DECLARATION_DOCS: readonly KeywordDoc[] = [
  { label: 'scenario', detail: 'scenario "title"', doc: 'The scenario\'s title (optional, once): `scenario "two processes race close on pass0"`.' },
  { label: 'kernel', detail: 'kernel invariants', doc: 'A kernel option: `kernel invariants` builds the kernel with INVARIANTS (SIM-mutex recursion, `mtx_assert` failures and KASSERTs panic).' },
  {
    label: 'device',
    detail: 'device NAME: DRIVER [VARIANT]',
    get doc() {
      return `A CAM peripheral with its character device: \`device pass0: pass before-fix\`. Drivers: ${driverNames().join(', ')}; variants: before-fix, after-fix (the default). Options follow \`with\`, e.g. \`with io-error\`.`;
    },
  },
  { label: 'driver', detail: 'driver NAME { ... }', doc: 'A driver written in C in this file: its `d_flags`, `softc_flags`, `resting` refcount and its routines `d_open`, `d_close`, `oninvalidate`, `devgonecb`. Devices use it by name: `device p0: mypass`.' },
  { label: 'process', detail: 'process NAME { ... }', doc: 'A user process. Its statements (`open`, `close`, `ioctl`, `lose`, `repeat`) run in order, one per line.' },
  { label: 'schedule', detail: 'schedule A B*3 ...', doc: 'One explicit interleaving for `run` and the debugger: each name runs that process to its next scheduling point (a lock operation); `A*3` repeats. When it runs out, round-robin takes over. `check` ignores it.' },
  { label: 'expect', detail: 'expect panic | no leak | EXPR', doc: 'An expectation on the outcome: `panic`, `no panic`, `deadlock`, `no deadlock`, `no use-after-free`, `no leak`, or a condition on the final state such as `pass0.refcount == 1`.' },
];

export const STATEMENT_DOCS: readonly KeywordDoc[] = [
  { label: 'open', detail: 'open DEVICE as FD', doc: 'open(2) on the device node: `kern_openat → vn_open → devfs_open → d_open`. FD names the descriptor inside this process; a failed open records its errno.' },
  { label: 'close', detail: 'close FD', doc: 'close(2): `kern_close → vn_close → devfs_close → d_close` (d_close only on the last close unless the driver has D_TRACKCLOSE).' },
  { label: 'ioctl', detail: 'ioctl FD', doc: 'ioctl(2): `devfs_ioctl_f → d_ioctl`, holding a thread reference on the cdev while the driver runs.' },
  { label: 'lose', detail: 'lose DEVICE', doc: 'The device goes away: the SIM reports AC_LOST_DEVICE and CAM invalidates the periph. Usually alone in its own process so that it can interleave.' },
  { label: 'repeat', detail: 'repeat N { ... }', doc: 'Runs the statements of the block N times (for stress scenarios).' },
];

export const EXPECT_DOCS: readonly KeywordDoc[] = [
  { label: 'panic', detail: 'the run panics', doc: '`run`: this run panics. `check`: some interleaving panics.' },
  { label: 'no panic', detail: 'no run panics', doc: '`run`: this run does not panic. `check`: no interleaving panics.' },
  { label: 'deadlock', detail: 'the run deadlocks', doc: '`run`: this run deadlocks. `check`: some interleaving deadlocks.' },
  { label: 'no deadlock', detail: 'no run deadlocks', doc: 'No process is left waiting for a lock or a wakeup that never comes.' },
  { label: 'no use-after-free', detail: 'the periph is never used after camperiphfree', doc: 'No kernel code reads a periph after `camperiphfree()` freed it.' },
  { label: 'no leak', detail: 'refcounts back at rest, lost periphs freed, no lock held', doc: 'When every process has finished, every periph refcount is back to its resting value, the periph of a lost device has been freed, and no lock is held.' },
];

/** After `expect no`. */
export const EXPECT_NO_DOCS: readonly KeywordDoc[] = EXPECT_DOCS.filter((d) => d.label.startsWith('no ')).map((d) => ({ ...d, label: d.label.slice(3) }));

export const OTHER_KEYWORD_DOCS: readonly KeywordDoc[] = [
  { label: 'as', detail: 'open DEVICE as FD', doc: 'Names the descriptor an `open` returns.' },
  { label: 'with', detail: 'device NAME: DRIVER [VARIANT] with OPTION', doc: 'Device options, e.g. `with io-error` (the driver\'s SCSI I/O during open fails).' },
  { label: 'true', detail: 'boolean', doc: 'The value true.' },
  { label: 'false', detail: 'boolean', doc: 'The value false.' },
  { label: 'no', detail: 'expect no ...', doc: '`expect no panic`, `no deadlock`, `no use-after-free`, `no leak`.' },
  { label: 'leak', detail: 'expect no leak', doc: EXPECT_DOCS[5].doc },
  { label: 'use-after-free', detail: 'expect no use-after-free', doc: EXPECT_DOCS[4].doc },
];

const ALL = [...DECLARATION_DOCS, ...STATEMENT_DOCS, ...EXPECT_DOCS, ...OTHER_KEYWORD_DOCS];

/** The documentation of a single keyword, for hover. */
export function keywordDoc(word: string): KeywordDoc | undefined {
  return ALL.find((d) => d.label === word);
}
