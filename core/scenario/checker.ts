// The semantic checks of a parsed scenario: names, declarations, descriptors
// (straight-line reasoning), schedules, expressions, and the warning that a
// before-fix driver is set up for the devfs close race.
//
// Idents the parser marked missing (name '') were reported as syntax errors and
// are skipped here.

import type { CloseStmt, DeviceDecl, Diagnostic, Expr, Ident, IoctlStmt, OpenStmt, Range, Scenario, Stmt } from './ast';
import { VARIANTS } from './ast';
import { drivers, driverNames } from '../kernel/drivers/catalogue';
import { DEVICE_OPTIONS, ERRNO, GLOBAL_LOCKS, KERNEL_OPTIONS, PROCESS_FIELDS, TASKQ_PROCESS, type FieldType } from './fields';
import { flagConstantNames } from './flags';
import { resolvePath, valueType, type PathOptions } from './paths';
import { forEachStmt, indexScenario } from './scope';
import { closestName } from './suggest';
import { checkDrivers } from './c/check';
import { hasDFlag } from './c/names';

/** Counts accepted by `repeat N` and `P*N`. */
export const MAX_COUNT = 1_000_000;

const MAX_COUNT_TEXT = '1,000,000';
const countText = (n: number): string => (Number.isSafeInteger(n) ? String(n) : 'this large');

/** Drivers whose before-fix form has the devfs close race (pt and sa refuse a second open). */
export function racyDrivers(): string[] {
  return drivers().filter((d) => d.racyBeforeFix).map((d) => d.name);
}

export interface ExpressionCheckOptions extends PathOptions {
  /** A condition (`expect EXPR`, a breakpoint condition): it must be true or false, not a name or a bare number. */
  condition?: boolean;
}

type Related = NonNullable<Diagnostic['related']>;

function diag(
  range: Range,
  code: string,
  message: string,
  severity: Diagnostic['severity'] = 'error',
  related?: Related,
  data?: Record<string, unknown>,
): Diagnostic {
  const d: Diagnostic = { range, message, severity, code };
  if (related && related.length) d.related = related;
  if (data) {
    const defined = Object.entries(data).filter(([, v]) => v !== undefined);
    if (defined.length) d.data = Object.fromEntries(defined);
  }
  return d;
}

const lineOf = (r: Range): number => r.start.line + 1;
const didYouMean = (s: string | undefined): string => (s ? `; did you mean '${s}'?` : '');

/** The range of the keyword that starts a declaration (`schedule`, `scenario`). */
function keywordRange(r: Range, keyword: string): Range {
  return { start: r.start, end: { line: r.start.line, character: r.start.character + keyword.length } };
}

function before(a: Range, b: Range): boolean {
  return a.start.line < b.start.line || (a.start.line === b.start.line && a.start.character < b.start.character);
}

function listNames(names: readonly string[]): string {
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** What a name clashes with among the expression language's own names, if anything. */
function reservedMeaning(name: string, s: Scenario): string | undefined {
  if (name === TASKQ_PROCESS && indexScenario(s).losesDevices) return "the kernel's taskqueue thread (it runs when a device is lost)";
  if (GLOBAL_LOCKS.some((l) => l.name === name)) return `the kernel lock ${name}`;
  if (Object.prototype.hasOwnProperty.call(ERRNO, name)) return `the errno constant ${name}`;
  if (flagConstantNames().includes(name)) return `the flag constant ${name}`;
  if (name === 'none') return "'none' (no process, in expressions)";
  return undefined;
}

export function checkScenario(s: Scenario): Diagnostic[] {
  const out: Diagnostic[] = [];
  checkSingletons(s, out);
  checkKernelOptions(s, out);
  checkDevices(s, out);
  checkProcessNames(s, out);
  for (const p of s.processes) if (p.name.name) checkProcessBody(s, p.name.name, p.body, out);
  checkSchedule(s, out);
  checkExpectations(s, out);
  checkRace(s, out);
  if (s.drivers.length) out.push(...checkDrivers(s));
  return out;
}

/** `scenario` and `schedule` may appear once. */
function checkSingletons(s: Scenario, out: Diagnostic[]): void {
  let title: Range | undefined;
  let schedule: Range | undefined;
  for (const item of s.items) {
    if (item.kind === 'scenario') {
      if (title) {
        out.push(diag(keywordRange(item.range, 'scenario'), 'duplicate-scenario', `the scenario already has a title (line ${lineOf(title)}): keep one 'scenario' line`, 'error', [{ range: title, message: 'the first title' }]));
      } else title = item.range;
    } else if (item.kind === 'schedule') {
      if (schedule) {
        out.push(diag(keywordRange(item.range, 'schedule'), 'duplicate-schedule', `the scenario already has a schedule (line ${lineOf(schedule)}): keep one 'schedule' line`, 'error', [{ range: schedule, message: 'the first schedule' }]));
      } else schedule = item.range;
    }
  }
}

function checkKernelOptions(s: Scenario, out: Diagnostic[]): void {
  const seen = new Map<string, Range>();
  const valid = KERNEL_OPTIONS.map((o) => o.name);
  for (const k of s.kernelOptions) {
    const name = k.option.name;
    if (!name) continue;
    if (!valid.includes(name)) {
      out.push(diag(k.option.range, 'unknown-kernel-option', `unknown kernel option '${name}'${didYouMean(closestName(name, valid))} (options: ${valid.join(', ')})`));
      continue;
    }
    const first = seen.get(name);
    if (first) out.push(diag(k.option.range, 'duplicate-kernel-option', `kernel option '${name}' is already set (line ${lineOf(first)})`, 'warning', [{ range: first, message: 'first set here' }]));
    else seen.set(name, k.option.range);
  }
}

function checkDevices(s: Scenario, out: Diagnostic[]): void {
  const first = new Map<string, DeviceDecl>();
  const optionNames = DEVICE_OPTIONS.map((o) => o.name);
  for (const d of s.devices) {
    const name = d.name.name;
    if (name) {
      const prev = first.get(name);
      if (prev) {
        out.push(diag(d.name.range, 'duplicate-device', `device ${name} is already declared (line ${lineOf(prev.name.range)})`, 'error', [{ range: prev.name.range, message: `the first declaration of ${name}` }]));
      } else first.set(name, d);
      const reserved = reservedMeaning(name, s);
      if (reserved) out.push(diag(d.name.range, 'name-clash', `the device name '${name}' clashes with ${reserved}: choose another name`));
    }
    const driver = d.driver.name;
    const userDriver = s.drivers.find((u) => u.name.name === driver);
    const names = [...driverNames(), ...s.drivers.map((u) => u.name.name).filter((n) => n && !driverNames().includes(n))];
    const driverKnown = names.includes(driver);
    if (userDriver && d.variant) {
      out.push(diag(d.variant.range, 'user-driver-variant', `'${driver}' is the driver written in this file: it has one form, no before-fix or after-fix variant (its d_flags say whether it has D_TRACKCLOSE); remove '${d.variant.name}'`));
    }
    if (driver && !driverKnown) {
      out.push(diag(d.driver.range, 'unknown-driver', `unknown driver '${driver}'${didYouMean(closestName(driver, names))} (drivers: ${names.join(', ')})`, 'error', undefined, { suggestion: closestName(driver, names) }));
    }
    if (d.variant && !userDriver && !(VARIANTS as readonly string[]).includes(d.variant.name)) {
      const v = d.variant.name;
      const message = optionNames.includes(v)
        ? `'${v}' is a device option, not a variant: write 'with ${v}'`
        : `unknown variant '${v}'${didYouMean(closestName(v, VARIANTS))} (variants: ${VARIANTS.join(', ')}; after-fix is the default)`;
      out.push(diag(d.variant.range, 'unknown-variant', message, 'error', undefined, { suggestion: closestName(v, VARIANTS) }));
    }
    const seenOptions = new Map<string, Range>();
    for (const o of d.options) {
      const info = DEVICE_OPTIONS.find((x) => x.name === o.name);
      if (!info) {
        out.push(diag(o.range, 'unknown-device-option', `unknown device option '${o.name}'${didYouMean(closestName(o.name, optionNames))} (options: ${optionNames.join(', ')})`));
        continue;
      }
      const prevOpt = seenOptions.get(o.name);
      if (prevOpt) {
        out.push(diag(o.range, 'duplicate-device-option', `device option '${o.name}' is already given`, 'warning', [{ range: prevOpt, message: 'first given here' }]));
        continue;
      }
      seenOptions.set(o.name, o.range);
      if (driverKnown && !userDriver && !info.drivers.includes(driver)) {
        out.push(diag(o.range, 'inapplicable-device-option', `'${o.name}' only affects the ${listNames([...info.drivers])} driver${info.drivers.length > 1 ? 's' : ''}; on ${driver} it does nothing`, 'warning'));
      }
    }
  }
}

/** Duplicate processes, processes named like a device, a lock or a constant. */
function checkProcessNames(s: Scenario, out: Diagnostic[]): void {
  const ix = indexScenario(s);
  const first = new Map<string, Ident>();
  for (const p of s.processes) {
    const name = p.name.name;
    if (!name) continue;
    const prev = first.get(name);
    if (prev) {
      out.push(diag(p.name.range, 'duplicate-process', `process ${name} is already declared (line ${lineOf(prev.range)})`, 'error', [{ range: prev.range, message: `the first declaration of ${name}` }]));
      continue;
    }
    first.set(name, p.name);
    const reserved = reservedMeaning(name, s);
    if (reserved) out.push(diag(p.name.range, 'name-clash', `the process name '${name}' clashes with ${reserved}: choose another name`));
    const dev = ix.devices.get(name);
    if (dev) {
      // report on whichever comes second
      const [later, earlier, laterKind, earlierKind] = before(dev.name.range, p.name.range)
        ? [p.name.range, dev.name.range, 'process', 'device']
        : [dev.name.range, p.name.range, 'device', 'process'];
      out.push(diag(later, 'name-clash', `'${name}' names both a device and a process: give the ${laterKind} another name`, 'error', [{ range: earlier, message: `the ${earlierKind} ${name}` }]));
    }
  }
}

/** Whether the statements run anything but repeats (a repeat of nothing is left out when compiled). */
function hasStatement(stmts: readonly Stmt[]): boolean {
  return stmts.some((st) => st.kind !== 'repeat' || hasStatement(st.body));
}

interface FdState {
  open: boolean;
  at: OpenStmt | CloseStmt;
}

/** Devices named by statements, and descriptors followed line by line (repeat bodies as loops). */
function checkProcessBody(s: Scenario, proc: string, body: readonly Stmt[], out: Diagnostic[]): void {
  const ix = indexScenario(s);
  // not ix.descriptors: a duplicate process has descriptors of its own
  const ownFds = new Map<string, OpenStmt>();
  forEachStmt(body, (st) => {
    if (st.kind === 'open' && st.fd.name && !ownFds.has(st.fd.name)) ownFds.set(st.fd.name, st);
  });
  const flagged = new Set<Stmt>();

  for (const [fd, open] of ownFds) {
    if (PROCESS_FIELDS.some((f) => f.name === fd)) {
      out.push(diag(open.fd.range, 'name-clash', `the descriptor name '${fd}' hides the field ${proc}.${fd} in expressions: choose another name`));
    }
  }

  const checkDevice = (dev: Ident): void => {
    const name = dev.name;
    if (!name || ix.devices.has(name)) return;
    const message = ix.processes.has(name)
      ? `'${name}' is a process, not a device`
      : `device ${name} is not declared${didYouMean(closestName(name, ix.devices.keys()))}`;
    out.push(diag(dev.range, 'undeclared-device', message, 'error', undefined, { suggestion: closestName(name, ix.devices.keys()) }));
  };

  const alreadyOpen = (st: OpenStmt, prev: FdState, inLoop: boolean): void => {
    if (flagged.has(st)) return;
    flagged.add(st);
    const where = `line ${lineOf(prev.at.range)}`;
    const message = inLoop
      ? `${st.fd.name} is still open from the previous iteration of the repeat (opened at ${where}): close it in the loop or open it as another name`
      : `${st.fd.name} is already open here (opened at ${where}): close it first or open it as another name`;
    out.push(diag(st.fd.range, 'already-open', message, 'error', [{ range: prev.at.range, message: `${st.fd.name} opened here` }]));
  };

  const notOpen = (st: CloseStmt | IoctlStmt, prev: FdState | undefined, inLoop: boolean): void => {
    if (flagged.has(st)) return;
    flagged.add(st);
    const fd = st.fd.name;
    const call = `${st.kind}(2) fails with EBADF`;
    let message: string;
    let related: Related;
    if (prev) {
      message = inLoop
        ? `${fd} is already closed when the repeat comes round again (the previous iteration closed it at line ${lineOf(prev.at.range)}): this ${call}`
        : `${fd} is already closed here (closed at line ${lineOf(prev.at.range)}): this ${call}`;
      related = [{ range: prev.at.range, message: `${fd} closed here` }];
    } else {
      const firstOpen = ownFds.get(fd);
      message = `${fd} is not open yet here${firstOpen ? ` (first opened at line ${lineOf(firstOpen.range)})` : ''}: this ${call}`;
      related = firstOpen ? [{ range: firstOpen.range, message: `${fd} opened here` }] : [];
    }
    out.push(diag(st.fd.range, 'descriptor-not-open', message, 'warning', related));
  };

  /** Inside a repeat already reported as having nothing to repeat (its inner repeats are not reported again). */
  let inEmptyRepeat = false;

  /** Walks `stmts` from `state`; records in `firsts` the first statement touching each descriptor. */
  const walk = (stmts: readonly Stmt[], state: Map<string, FdState>, firsts: Map<string, Stmt>): void => {
    for (const st of stmts) {
      switch (st.kind) {
        case 'open': {
          checkDevice(st.device);
          const fd = st.fd.name;
          if (!fd) break;
          if (!firsts.has(fd)) firsts.set(fd, st);
          const prev = state.get(fd);
          if (prev?.open) alreadyOpen(st, prev, false);
          state.set(fd, { open: true, at: st });
          break;
        }
        case 'close':
        case 'ioctl': {
          const fd = st.fd.name;
          if (!fd) break;
          if (!ownFds.has(fd)) {
            const guess = closestName(fd, ownFds.keys());
            out.push(diag(st.fd.range, 'unopened-descriptor', `${st.kind} ${fd}: process ${proc} never opens a descriptor ${fd} (write 'open DEVICE as ${fd}' first)${didYouMean(guess)}`, 'error', undefined, { suggestion: guess }));
            break;
          }
          if (!firsts.has(fd)) firsts.set(fd, st);
          const prev = state.get(fd);
          if (!prev?.open) notOpen(st, prev, false);
          if (st.kind === 'close') state.set(fd, { open: false, at: st });
          break;
        }
        case 'lose':
          checkDevice(st.device);
          break;
        case 'repeat': {
          if (!(st.count >= 1 && st.count <= MAX_COUNT)) {
            out.push(diag(st.countRange, 'repeat-count', `repeat count ${countText(st.count)} is out of range: use 1 to ${MAX_COUNT_TEXT}`));
          }
          const empty = !hasStatement(st.body);
          if (empty && !inEmptyRepeat) {
            const header = { start: st.range.start, end: st.countRange.end };
            out.push(diag(header, 'empty-repeat', 'this repeat has nothing to repeat: its block has no open, close, ioctl or lose (it is skipped)', 'warning'));
          }
          const outer = inEmptyRepeat;
          inEmptyRepeat ||= empty;
          const inner = new Map(state);
          const innerFirsts = new Map<string, Stmt>();
          walk(st.body, inner, innerFirsts);
          inEmptyRepeat = outer;
          if (st.count >= 2) {
            // the second iteration starts from the state the first one left
            for (const [fd, firstSt] of innerFirsts) {
              const exit = inner.get(fd);
              if (firstSt.kind === 'open' && exit?.open) alreadyOpen(firstSt, exit, true);
              else if ((firstSt.kind === 'close' || firstSt.kind === 'ioctl') && exit && !exit.open) notOpen(firstSt, exit, true);
            }
          }
          for (const [fd, firstSt] of innerFirsts) if (!firsts.has(fd)) firsts.set(fd, firstSt);
          state.clear();
          for (const [k, v] of inner) state.set(k, v);
          break;
        }
      }
    }
  };
  walk(body, new Map(), new Map());
}

function checkSchedule(s: Scenario, out: Diagnostic[]): void {
  const ix = indexScenario(s);
  for (const item of s.items) {
    if (item.kind !== 'schedule') continue;
    for (const e of item.entries) {
      const name = e.process.name;
      if (name && !ix.processes.has(name) && !ix.implicitProcesses.has(name)) {
        const guess = closestName(name, [...ix.processes.keys(), ...ix.implicitProcesses]);
        const message = ix.devices.has(name)
          ? `'${name}' is a device; a schedule names processes`
          : `the schedule names '${name}', which is not a process${didYouMean(guess)}`;
        out.push(diag(e.process.range, 'unknown-process', message, 'error', undefined, { suggestion: guess }));
      }
      if (!(e.times >= 1 && e.times <= MAX_COUNT)) {
        const message =
          e.times === 0
            ? `${name}*0 runs ${name} zero times: use a count of 1 or more, or leave ${name} out`
            : `${name}*${countText(e.times)} is out of range: use a count of 1 to ${MAX_COUNT_TEXT}`;
        out.push(diag(e.timesRange ?? e.range, 'schedule-count', message));
      }
    }
  }
}

function checkExpectations(s: Scenario, out: Diagnostic[]): void {
  const seen = new Map<string, Range>();
  const opposite: Record<string, string> = { panic: 'no panic', 'no panic': 'panic', deadlock: 'no deadlock', 'no deadlock': 'deadlock' };
  for (const e of s.expectations) {
    if (e.what === 'expr') {
      if (e.expr) out.push(...checkExpression(e.expr, s, { condition: true }));
      continue;
    }
    const prev = seen.get(e.what);
    if (prev) {
      out.push(diag(e.range, 'duplicate-expect', `'expect ${e.what}' is already stated (line ${lineOf(prev)})`, 'warning', [{ range: prev, message: 'first stated here' }]));
      continue;
    }
    const contra = seen.get(opposite[e.what] ?? '');
    if (contra) {
      out.push(diag(e.range, 'contradictory-expect', `'expect ${e.what}' contradicts 'expect ${opposite[e.what]}' (line ${lineOf(contra)}): one of them always fails`, 'warning', [{ range: contra, message: `expect ${opposite[e.what]}` }]));
    }
    seen.set(e.what, e.range);
  }
}

/** A before-fix pass, sg, ch or enc device opened by two or more processes: the devfs close race. */
function checkRace(s: Scenario, out: Diagnostic[]): void {
  const ix = indexScenario(s);
  const opensByDevice = new Map<string, Map<string, OpenStmt[]>>();
  for (const p of s.processes) {
    const proc = p.name.name;
    if (!proc) continue;
    forEachStmt(p.body, (st) => {
      if (st.kind !== 'open' || !st.device.name) return;
      let byProc = opensByDevice.get(st.device.name);
      if (!byProc) opensByDevice.set(st.device.name, (byProc = new Map()));
      const list = byProc.get(proc);
      if (list) list.push(st);
      else byProc.set(proc, [st]);
    });
  }
  for (const [name, d] of ix.devices) {
    // a driver of the file races when its d_flags lack D_TRACKCLOSE
    const own = s.drivers.find((u) => u.name.name === d.driver.name);
    const racyOwn = own !== undefined && !hasDFlag(own, 'D_TRACKCLOSE');
    if (!racyOwn && (d.variant?.name !== 'before-fix' || !racyDrivers().includes(d.driver.name))) continue;
    const byProc = opensByDevice.get(name);
    if (!byProc || byProc.size < 2) continue;
    const procs = [...byProc.keys()];
    const related: Related = [];
    for (const [proc, opens] of byProc) for (const o of opens) related.push({ range: o.range, message: `${proc} opens ${name} here` });
    out.push(
      diag(
        racyOwn ? d.driver.range : (d.variant ?? d.driver).range,
        'devfs-close-race',
        racyOwn
          ? `${name} uses the driver ${d.driver.name}, whose d_flags lack D_TRACKCLOSE, and is opened by ${listNames(procs)}: devfs calls d_close only for the last close, which is the devfs close race; see D_TRACKCLOSE`
          : `${name} is the before-fix ${d.driver.name} driver (no D_TRACKCLOSE) and is opened by ${listNames(procs)}: this is the devfs close race; see D_TRACKCLOSE`,
        'warning',
        related,
        { device: name },
      ),
    );
  }
}

// ---- expressions ----

function pathText(e: Expr): string | undefined {
  return e.kind === 'path' ? e.parts.map((p) => p.name).join('.') : undefined;
}

function operandName(e: Expr): string {
  const t = pathText(e);
  return t ? t : e.kind === 'number' ? String(e.value) : 'this operand';
}

const TYPE_WORDS: Record<FieldType, string> = { number: 'a number', bool: 'true or false', name: 'a process name' };

/**
 * Checks an expression against a scenario: every name must resolve (with a
 * "did you mean"), and process names (lock holders, `none`) may only be compared
 * with == and != to other names. Ranges are the expression's own.
 */
export function checkExpression(expr: Expr, s: Scenario, opts?: ExpressionCheckOptions): Diagnostic[] {
  const out: Diagnostic[] = [];
  const t = typeOf(expr, s, opts, out);
  if (opts?.condition && t) {
    if (t === 'name') {
      out.push(diag(expr.range, 'not-a-condition', `a condition must be true or false, but ${operandName(expr)} is a process name: compare it, e.g. ${operandName(expr)} == none`));
    } else if (t === 'number') {
      out.push(diag(expr.range, 'not-a-condition', `${operandName(expr)} is a number, not a condition: compare it, e.g. ${operandName(expr)} == 1`, 'warning'));
    }
  }
  return out;
}

/** The type of `e`, or undefined when a part of it is already reported as wrong. */
function typeOf(e: Expr, s: Scenario, opts: PathOptions | undefined, out: Diagnostic[]): FieldType | undefined {
  switch (e.kind) {
    case 'number':
      return 'number';
    case 'bool':
      return 'bool';
    case 'path': {
      const r = resolvePath(
        e.parts.map((p) => p.name),
        s,
        opts,
      );
      if (r.kind === 'error') {
        const range = r.code === 'not-a-value' ? e.range : (e.parts[r.partIndex] ?? e.parts[0]).range;
        out.push(diag(range, r.code, r.message, 'error', undefined, r.suggestion ? { suggestion: r.suggestion } : undefined));
        return undefined;
      }
      return valueType(r);
    }
    case 'unary': {
      const t = typeOf(e.operand, s, opts, out);
      if (t === 'name') {
        out.push(diag(e.range, 'type-mismatch', `'${e.op}' needs a number or a condition, but ${operandName(e.operand)} is a process name`));
      }
      return e.op === '!' ? 'bool' : 'number';
    }
    case 'binary': {
      const l = typeOf(e.left, s, opts, out);
      const r = typeOf(e.right, s, opts, out);
      if (e.op === '==' || e.op === '!=') {
        if (l && r && (l === 'name') !== (r === 'name')) {
          const [nameSide, other, otherType] = l === 'name' ? [e.left, e.right, r] : [e.right, e.left, l];
          out.push(diag(e.range, 'type-mismatch', `cannot compare ${operandName(nameSide)} (a process name) with ${operandName(other)} (${TYPE_WORDS[otherType]}): compare it with a process name or none`));
        }
        return 'bool';
      }
      for (const [side, t] of [[e.left, l], [e.right, r]] as const) {
        if (t === 'name') {
          out.push(diag(side.range, 'type-mismatch', `'${e.op}' needs numbers or conditions, but ${operandName(side)} is a process name (use == or !=)`));
        }
      }
      return e.op === '+' || e.op === '-' || e.op === '&' || e.op === '|' ? 'number' : 'bool';
    }
  }
}
