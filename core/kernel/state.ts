// The whole simulated machine as one plain value: the kernel's objects (cdev,
// devfs vnode, CAM periph and driver softc per device), the locks, and every
// process with its kernel call stack. `step` (core/engine/run/machine.ts) never
// mutates a Machine; it copies what it changes.

import type { Variant } from './drivers/model';

/** Per device: struct cdev, its devfs vnode, struct cam_periph and the driver softc. */
export interface DevState {
  // struct cdev (sys/sys/conf.h)
  si_usecount: number;
  si_threadcount: number;
  /** dev->si_drv1 still points at the periph (cleared by destroy_devl). */
  si_drv1: boolean;
  /** dev->si_devsw != NULL (cleared by destroy_devl). */
  si_devsw: boolean;
  /** CDP_SCHED_DTR: destroy_dev_sched_cb has run; dev_refthread now fails. */
  sched_dtr: boolean;
  /** SI_NAMED: the node exists in devfs (a lookup finds it). */
  named: boolean;
  // the devfs vnode of the node
  v_usecount: number;
  v_holdcnt: number;
  // struct cam_periph (sys/cam/cam_periph.h)
  refcount: number;
  flags: number;
  /** camperiphfree() has freed the periph: any later access is a use after free. */
  freed: boolean;
  // the driver softc
  softc_flags: number;
  open_count: number;
}

/** A lock: who holds it and how often it was taken again (MTX_DEF recursion). */
export interface LockState {
  holder: number; // pid, or -1 when free
  recurse: number;
}

export type Locals = Record<string, number>;

/** One kernel call frame: which modelled function, which step, its locals. */
export interface Frame {
  fn: number; // index into the function table (core/kernel/functions.ts)
  pc: number; // index of the next step to run
  l: Locals;
}

/** A descriptor of a process, named in the scenario (`open pass0 as f`). */
export interface FdState {
  open: boolean;
  errno: number;
  dev: number; // device index of the last open, -1 before any
}

export interface ProcState {
  /** Index of the next scenario statement (program op) when the stack is empty. */
  pc: number;
  /** Remaining iterations of each `repeat`, keyed by the op index of its start. */
  loops: Record<number, number>;
  stack: Frame[];
  fds: FdState[];
  errno: number;
  done: boolean;
  steps: number;
}

export type OutcomeKind = 'panic' | 'deadlock' | 'use-after-free';

/** A terminal state other than a normal end. */
export interface Outcome {
  kind: OutcomeKind;
  /** The process that panicked or used the freed periph; for a deadlock the first stuck one. */
  pid: number;
  /** The kernel function it was in. */
  fn: string;
  message: string;
  /** Line in the kernel model source, when there is one. */
  file?: string;
  line?: number;
}

export interface Machine {
  /** The compiled scenario: shared, never copied. */
  config: MachineConfig;
  devs: DevState[];
  locks: LockState[];
  procs: ProcState[];
  /** Devices whose destroy_devl is queued on taskqueue_swi_giant, oldest first. */
  tasks: number[];
  outcome: Outcome | null;
  /** Steps executed since the start. */
  clock: number;
}

// ---- the static part, compiled once from the scenario ----

export interface DeviceConfig {
  name: string;
  /** The driver's name in the catalogue. */
  driver: string;
  variant: Variant;
  ioError: boolean;
  /**
   * For a driver the scenario declares itself (`driver NAME { ... }`): its key in
   * the catalogue's table of scenario drivers (drivers/catalogue.ts), set by
   * core/engine/compile.ts. Plain data, so a config still crosses to a worker thread.
   */
  driverKey?: string;
}

export type ProgramOp =
  | { op: 'open'; dev: number; fd: number; line: number }
  | { op: 'close'; fd: number; line: number }
  | { op: 'ioctl'; fd: number; line: number }
  | { op: 'lose'; dev: number; line: number }
  | { op: 'repeat'; count: number; end: number; line: number }
  | { op: 'end'; start: number; line: number };

export interface ProcessConfig {
  name: string;
  /** 'user' runs scenario statements; 'taskq' is the taskqueue_swi_giant thread. */
  kind: 'user' | 'taskq';
  program: ProgramOp[];
  fdNames: string[];
  /** Scenario line of the `process` declaration (0-based). */
  line: number;
}

export interface MachineConfig {
  devices: DeviceConfig[];
  processes: ProcessConfig[];
  invariants: boolean;
}
