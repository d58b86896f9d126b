// A driver written in C inside a scenario (`driver NAME { ... }`, core/scenario/cAst.ts)
// -> a DriverModel, the same kind of entry as the built-in drivers of the
// catalogue (core/kernel/drivers/pass.ts). It has one form: both variants are
// the same code, and the device's variant keeps choosing the era of the CAM
// and devfs code around it (camperiphfree of 2011 or 2013, the 2013 asserts).
//
// What the driver does not write comes from pass(4) (kernel/drivers/defaults.ts):
// its ioctl, its periph destructor; and its devgonecb unless it gives one. A
// driver that rests at refcount 0 (`resting = 0`) and gives no devgonecb is a
// 2011 driver: no devgonecb, and its destructor destroys the cdev itself.

import type { DriverDecl, RoutineKind } from '../../scenario/cAst';
import type { DriverModel, DriverVariantModel } from '../../kernel/drivers/model';
import type { KFn, Step } from '../../kernel/dsl';
import { call } from '../../kernel/dsl';
import { CDEVSW_FLAGS, flagNames } from '../../kernel/constants';
import { destroy_dev_sched_cb } from '../../kernel/kern_conf';
import { periphArgs } from '../../kernel/drivers/common';
import {
  driver_cleanup, driver_cleanup_sched, driver_devgonecb, driver_ioctl, driver_oninvalidate, driver_oninvalidate_2011,
} from '../../kernel/drivers/defaults';
import { compileRoutine, routineFunctionName } from './compileRoutine';
import { DriverCompileError } from './cExpr';
import { kfn, ret, SCENARIO_FILE } from '../../kernel/dsl';

export { DriverCompileError } from './cExpr';

export interface CompiledDriver {
  model: DriverModel;
  /** The functions compiled from the scenario's text (the defaults are shared and built in). */
  routines: KFn[];
}

/** The periph refcount at rest when the driver does not say: 1, the devfs-node reference of the after-fix drivers. */
export const DEFAULT_RESTING = 1;

/** An empty d_open or d_close: `return (0);` on the driver's name line. */
function emptyMethod(decl: DriverDecl, kind: RoutineKind): KFn {
  const name = routineFunctionName(decl.name.name, kind);
  const fn = kfn(SCENARIO_FILE, name, `the scenario's driver ${decl.name.name}: ${kind} (not given: returns 0)`,
    ['static int', `${name}(struct cdev *dev, ...)`, '{'], [ret('\treturn (0);  /* not given */')]);
  fn.steps[0].line = decl.name.range.start.line + 1;
  fn.firstLine = fn.lastLine = fn.steps[0].line;
  return fn;
}

/** Compiles a driver declaration; throws DriverCompileError (with a range) for what the model cannot run. */
export function compileDriver(decl: DriverDecl): CompiledDriver {
  const name = decl.name.name;
  const flags = new Map(decl.softcFlags.map((f) => [f.name.name, f.value]));
  let dFlags = 0;
  for (const f of decl.dFlags?.names ?? []) {
    const bit = CDEVSW_FLAGS[f.name];
    if (bit === undefined) throw new DriverCompileError(`${f.name} is not a cdevsw flag the model has (${Object.keys(CDEVSW_FLAGS).join(', ')})`, f.range);
    dFlags |= bit;
  }
  const resting = decl.resting?.value ?? DEFAULT_RESTING;
  const given = (kind: RoutineKind) => decl.routines.find((r) => r.kind === kind);
  const routines: KFn[] = [];
  const compile = (kind: RoutineKind, epilogue?: Step[]): KFn | undefined => {
    const r = given(kind);
    if (!r) return undefined;
    const fn = compileRoutine(r, { driver: name, flags, epilogue });
    routines.push(fn);
    return fn;
  };

  const devgonecb = compile('devgonecb') ?? (resting > 0 ? driver_devgonecb : undefined);
  const open = compile('d_open') ?? emptyMethod(decl, 'd_open');
  const close = compile('d_close') ?? emptyMethod(decl, 'd_close');
  if (!given('d_open')) routines.push(open);
  if (!given('d_close')) routines.push(close);
  const destroy: Step[] = devgonecb
    ? [call(`\tdestroy_dev_sched_cb(softc->dev, ${devgonecb.name}, periph);  /* the driver has a devgonecb */`, () => destroy_dev_sched_cb, periphArgs)]
    : [];
  const oninvalidate = compile('oninvalidate', destroy) ?? (devgonecb ? driver_oninvalidate : driver_oninvalidate_2011);

  const invalid = [...flags].find(([flag]) => /INVALID/.test(flag));
  const variant: DriverVariantModel = {
    d_flags: dFlags,
    resting,
    softcFlags: 0,
    softcFlagNames: Object.fromEntries(flags),
    invalidFlag: invalid ? invalid[1] : 0,
    open,
    close,
    ioctl: driver_ioctl,
    oninvalidate,
    dtor: devgonecb ? driver_cleanup : driver_cleanup_sched,
    ...(devgonecb ? { devgonecb } : {}),
    summary: `d_flags = ${flagNames(dFlags, CDEVSW_FLAGS)}${dFlags & CDEVSW_FLAGS.D_TRACKCLOSE ? ' (devfs calls d_close for every close)' : ' (devfs calls d_close only on what it thinks is the last close)'}; ` +
      `the periph rests at refcount ${resting}; ${devgonecb ? 'a devgonecb drops the references of dangling opens and the devfs node when the device goes away' : 'no devgonecb: the periph destructor destroys the cdev'}. ` +
      'Its d_open and d_close are the C of the scenario.',
  };
  const model: DriverModel = {
    name,
    source: 'this scenario',
    doc: `${name}: a driver written in this scenario.`,
    variants: { 'before-fix': variant, 'after-fix': variant },
    racyBeforeFix: false,
    options: ['io-error'],
  };
  return { model, routines };
}
