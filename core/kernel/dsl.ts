// How modelled kernel functions are written: an ordered list of labelled steps,
// each carrying the one line of pseudo-C the debugger shows. The executor
// (core/engine/run/machine.ts) interprets these lists; nothing here runs by itself.

import type { DevState, Frame, Locals, Machine, ProcState, DeviceConfig } from './state';

/**
 * What a step sees while it runs: a private copy of the machine that it may
 * change (the executor copied it first), its process, frame and locals.
 */
export interface Ctx {
  m: Machine;
  pid: number;
  p: ProcState;
  f: Frame;
  l: Locals;
  /** The device of this frame (`l.dev`), writable. */
  dev: DevState;
  cfg: DeviceConfig;
  /** The periph behind `dev->si_drv1`; reaching a freed one ends the run as a use after free. */
  periph(what: string): DevState;
  panic(message: string): void;
  /** `file:line` of the running step, as kernel asserts print it. */
  here(): string;
}

export type StepKind = 'plain' | 'lock' | 'unlock' | 'call' | 'return' | 'sleep' | 'wait';

export interface Step {
  kind: StepKind;
  /** The pseudo-C line, with its indentation. */
  code: string;
  label?: string;
  /** Line in the generated model source (1-based), set when the source is rendered. */
  line: number;
  /** plain: the effect; may return a label to jump to. lock/unlock: an effect around the lock operation. */
  run?: (c: Ctx) => string | void;
  /** lock, unlock, sleep: which lock. */
  lock?: (c: Ctx) => number;
  /** call: the callee (null: skip the call and store 0), its arguments, where the result goes. */
  target?: (c: Ctx) => KFn | null;
  args?: (c: Ctx) => Locals;
  into?: string;
  /** return: the value. */
  value?: (c: Ctx) => number;
  /** sleep, wait: the condition that wakes the process. */
  until?: (m: Machine, f: Frame) => boolean;
  wmesg?: string;
}

/**
 * The `file` of a routine written in C inside a scenario (`driver NAME { d_open { ... } }`):
 * its steps' lines are lines of the `.camsim` file itself, not of a model source.
 */
export const SCENARIO_FILE = '<scenario>';

/** `file:line` as a person reads it: a line of the scenario's own driver is named by the scenario's file. */
export function sourcePlace(file: string, line: number, scenarioFile: string): string {
  return `${file && file !== SCENARIO_FILE ? file : scenarioFile}:${line}`;
}

/** A line of a function that is shown but not executed (`} else {`, comments). */
export interface Decor {
  decor: string;
}

export interface KFn {
  name: string;
  /** The model source file the debugger shows, named after the FreeBSD file. */
  file: string;
  /** The FreeBSD source file and function this models, and the era. */
  models: string;
  /** Function header lines (return type, signature). */
  signature: string[];
  /** Steps and decor in source order. */
  body: (Step | Decor)[];
  /** The executable steps, in order; a frame's pc indexes this. */
  steps: Step[];
  /** Set by the registry. */
  id: number;
  /** Whether this is the after-fix or before-fix form, when the function has two. */
  variant?: 'before-fix' | 'after-fix';
  labels: Record<string, number>;
  firstLine: number;
  lastLine: number;
}

/** Every step has every field, in one order: one object shape, so the executor's property reads stay monomorphic. */
function mk(kind: StepKind, code: string, extra: Partial<Step> = {}): Step {
  return {
    kind,
    code,
    label: undefined,
    line: 0,
    run: extra.run,
    lock: extra.lock,
    target: extra.target,
    args: extra.args,
    into: extra.into,
    value: extra.value,
    until: extra.until,
    wmesg: extra.wmesg,
  };
}

/** A plain line with an effect. */
export function line(code: string, run?: (c: Ctx) => string | void): Step {
  return mk('plain', code, { run });
}

/** `if (cond)`: falls through when true, jumps to `otherwise` when false. */
export function iff(code: string, cond: (c: Ctx) => boolean, otherwise: string): Step {
  return mk('plain', code, { run: (c) => (cond(c) ? undefined : otherwise) });
}

/** An unconditional jump shown as a line (`goto out;`, the end of a loop). */
export function jump(code: string, to: string): Step {
  return mk('plain', code, { run: () => to });
}

/** Takes a lock; `run`, if given, runs after it is held. */
export function lock(code: string, which: (c: Ctx) => number, run?: (c: Ctx) => void): Step {
  return mk('lock', code, { lock: which, run });
}

/** Drops a lock; `run`, if given, runs first (e.g. reading periph->sim). */
export function unlock(code: string, which: (c: Ctx) => number, run?: (c: Ctx) => void): Step {
  return mk('unlock', code, { lock: which, run });
}

export function call(
  code: string,
  target: (c: Ctx) => KFn | null,
  args: (c: Ctx) => Locals,
  into?: string,
): Step {
  return mk('call', code, { target, args, into });
}

export function ret(code: string, value: (c: Ctx) => number = () => 0): Step {
  return mk('return', code, { value });
}

/** mtx_sleep/msleep: drop `which` (and Giant, as the sleep code does), sleep until `until`, retake. */
export function sleep(code: string, which: (c: Ctx) => number, wmesg: string, until: (m: Machine, f: Frame) => boolean): Step {
  return mk('sleep', code, { lock: which, wmesg, until });
}

/** Wait without a mutex (the taskqueue thread waiting for work). */
export function wait(code: string, wmesg: string, until: (m: Machine, f: Frame) => boolean): Step {
  return mk('wait', code, { wmesg, until });
}

export function decor(text: string): Decor {
  return { decor: text };
}

export function labelled(label: string, s: Step): Step {
  s.label = label;
  return s;
}

export function isDecor(x: Step | Decor): x is Decor {
  return (x as Decor).decor !== undefined;
}

/** Builds a function description; the registry (functions.ts) numbers it and lays out its lines. */
export function kfn(
  file: string,
  name: string,
  models: string,
  signature: string[],
  body: (Step | Decor)[],
  variant?: 'before-fix' | 'after-fix',
): KFn {
  const steps = body.filter((x): x is Step => !isDecor(x));
  const labels: Record<string, number> = {};
  steps.forEach((s, i) => {
    if (s.label !== undefined) labels[s.label] = i;
  });
  return { name, file, models, signature, body, steps, id: -1, variant, labels, firstLine: 0, lastLine: 0 };
}

/** A step is a scheduling point when it takes, drops or sleeps on a lock. */
export function isSchedulingPoint(s: Step): boolean {
  return s.kind === 'lock' || s.kind === 'unlock' || s.kind === 'sleep' || s.kind === 'wait';
}
