// The table of every modelled kernel function, and the read-only model sources
// the debugger shows: one file per FreeBSD source file, one line per step, so
// that what the user reads is exactly what runs.

import { isDecor, SCENARIO_FILE, type KFn } from './dsl';
import { DEVFS_FUNCTIONS } from './devfs';
import { CONF_FUNCTIONS, TASKQUEUE_FUNCTIONS } from './kern_conf';
import { CAM_FUNCTIONS } from './cam_periph';
import { DRIVERS, type DriverModel } from './drivers';
import { CDEVSW_FLAGS, flagNames } from './constants';
import { VARIANTS, type Variant } from './drivers/model';
import { SCENARIO_DRIVER_DEFAULTS } from './drivers/defaults';

/** The modelled functions of a driver: its cdevsw methods per variant, then its helpers. */
function driverFunctions(d: DriverModel): KFn[] {
  const out: KFn[] = [];
  for (const v of VARIANTS) {
    const m = d.variants[v];
    for (const f of [m.open, m.close, m.ioctl, m.oninvalidate, m.dtor, m.devgonecb]) if (f) out.push(f);
  }
  return [...out, ...(d.helpers ?? [])];
}

const table: KFn[] = [];
/** Numbers freed by `releaseScenarioFunctions`, reused first. */
const freeIds: number[] = [];

/** Numbers the functions not yet in the table; returns the files that gained one. */
function add(fns: readonly KFn[]): Set<string> {
  const files = new Set<string>();
  for (const f of fns) {
    if (f.id >= 0 && table[f.id] === f) continue;
    const free = freeIds.pop();
    if (free === undefined) f.id = table.push(f) - 1;
    else table[(f.id = free)] = f;
    files.add(f.file);
  }
  return files;
}

add([...DEVFS_FUNCTIONS, ...CONF_FUNCTIONS, ...TASKQUEUE_FUNCTIONS, ...CAM_FUNCTIONS, ...SCENARIO_DRIVER_DEFAULTS]);
for (const d of DRIVERS) add(driverFunctions(d));

/** Every modelled function; `FUNCTIONS[f.id] === f`. */
export const FUNCTIONS: readonly KFn[] = table;

const ERA_BANNER: Record<Variant | 'shared', string> = {
  'before-fix': '/* ==== before-fix: the 2011 code, before D_TRACKCLOSE ==== */',
  'after-fix': '/* ==== after-fix: the 2013 code, with D_TRACKCLOSE ==== */',
  shared: '/* ==== both variants ==== */',
};

function cdevswBlock(file: string, era: Variant, models: readonly DriverModel[]): string[] {
  const d = models.find((x) => x.variants[era].open.file === file);
  if (!d) return [];
  const v = d.variants[era];
  const flags = flagNames(v.d_flags, CDEVSW_FLAGS);
  return [
    `static struct cdevsw ${d.name}_cdevsw = {`,
    '\t.d_version =\tD_VERSION,',
    `\t.d_flags =\t${flags},`,
    `\t.d_open =\t${v.open.name},`,
    `\t.d_close =\t${v.close.name},`,
    `\t.d_ioctl =\t${v.ioctl.name},`,
    `\t.d_name =\t"${d.cdevName ?? d.name}",`,
    '};',
    '',
  ];
}

function render(file: string, fns: KFn[], models: readonly DriverModel[]): string {
  const lines: string[] = [];
  const first = fns[0];
  const source = first.models.split(':')[0];
  lines.push('/*', ` * camsim kernel model of ${source} (FreeBSD 9 era).`,
    ' * Read-only. Each statement line below is one step of the model: the debugger', ' * stops on these lines, and breakpoints can be set on them.', ' */', '');
  const groups: (Variant | 'shared')[] = ['shared', 'before-fix', 'after-fix'];
  const hasVariants = fns.some((f) => f.variant !== undefined);
  for (const g of groups) {
    const inGroup = fns.filter((f) => (f.variant ?? 'shared') === g);
    if (inGroup.length === 0 && !(hasVariants && g !== 'shared')) continue;
    if (hasVariants) lines.push(ERA_BANNER[g], '');
    if (g !== 'shared') lines.push(...cdevswBlock(file, g, models));
    for (const f of inGroup) {
      lines.push(`/* ${f.models} */`, ...f.signature);
      f.firstLine = lines.length + 1 - f.signature.length;
      for (const item of f.body) {
        if (isDecor(item)) {
          lines.push(item.decor);
        } else {
          lines.push(item.code);
          item.line = lines.length;
        }
      }
      const last = f.body[f.body.length - 1];
      const lastText = isDecor(last) ? last.decor : last.code;
      if (lastText !== '}') lines.push('}');
      f.lastLine = lines.length;
      lines.push('');
    }
  }
  return lines.join('\n');
}

const sources = new Map<string, string>();

function renderFiles(files: Iterable<string>, models: readonly DriverModel[]): void {
  for (const file of files) sources.set(file, render(file, FUNCTIONS.filter((f) => f.file === file), models));
}

renderFiles(new Set(FUNCTIONS.map((f) => f.file)), DRIVERS);

/** File name -> the text of the model source. Rendering also assigns every step its line. */
export const MODEL_SOURCES: ReadonlyMap<string, string> = sources;

/**
 * Adds the functions of driver models that are not built in (kernel/extend.ts)
 * to the table and renders their sources. Built-in functions keep their numbers.
 */
export function addDriverFunctions(models: readonly DriverModel[]): void {
  const files = new Set<string>();
  for (const d of models) for (const file of add(driverFunctions(d))) files.add(file);
  renderFiles(files, models);
}

/**
 * Numbers the routines of a driver written in a scenario (file SCENARIO_FILE: their
 * lines are the scenario's, so there is no model source to render).
 */
export function addScenarioFunctions(fns: readonly KFn[]): void {
  add(fns);
}

/** What a released function's number points at until it is reused: no steps, so nothing can run it. */
const RELEASED: KFn = { name: '(unloaded driver routine)', file: SCENARIO_FILE, models: '', signature: [], body: [], steps: [], id: -1, labels: {}, firstLine: 0, lastLine: 0 };

/** Gives the numbers of a scenario driver's routines back (its driver was evicted from the cache). */
export function releaseScenarioFunctions(fns: readonly KFn[]): void {
  for (const f of fns) {
    if (f.id < 0 || table[f.id] !== f) continue;
    table[f.id] = RELEASED;
    freeIds.push(f.id);
    f.id = -1;
  }
}

/** Functions with this name (a driver function has one per variant). */
export function functionsNamed(name: string): KFn[] {
  return FUNCTIONS.filter((f) => f.name === name);
}

export interface StepRef {
  fn: KFn;
  pc: number;
}

/** The step on exactly this line of a model source. */
export function stepAtLine(file: string, line: number): StepRef | undefined {
  for (const fn of FUNCTIONS) {
    if (fn.file !== file || line < fn.firstLine || line > fn.lastLine) continue;
    const pc = fn.steps.findIndex((s) => s.line === line);
    if (pc >= 0) return { fn, pc };
  }
  return undefined;
}

/** The nearest line at or after `line` that has a step (where a breakpoint there would move). */
export function nearestStepLine(file: string, line: number): number | undefined {
  let best: number | undefined;
  for (const fn of FUNCTIONS) {
    if (fn.file !== file) continue;
    for (const s of fn.steps) {
      if (s.line >= line && (best === undefined || s.line < best)) best = s.line;
    }
  }
  return best;
}

/** Every line of a model source that has a step, in order. */
export function stepLines(file: string): number[] {
  const out: number[] = [];
  for (const fn of FUNCTIONS) if (fn.file === file) for (const s of fn.steps) out.push(s.line);
  return out.sort((a, b) => a - b);
}
