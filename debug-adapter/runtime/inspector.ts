// Reading a debug run where the stepper (stepper.ts) stands, with no knowledge of
// the Debug Adapter Protocol: the threads, each process's call stack, the scopes
// and variables of a frame, expressions, "why" (the steps that wrote a value),
// the recorded values an expression names, the trace window of the timeline and
// the exception at the cursor. It never moves the cursor.

import type { Machine } from '../../core/kernel/state';
import { diff, type Change } from '../../core/engine/run/observe';
import { describeStep, type TraceStep } from '../../core/engine/run/traceStep';
import { evaluateText } from '../../core/engine/expr/evaluate';
import { FUNCTIONS } from '../../core/kernel/functions';
import { variantOf } from '../../core/kernel/drivers';
import { WHY_LIMIT, type WriteView } from '../../core/protocol';
import type { Stepper } from './stepper';
import { framesOf, threadName, type FrameView } from './frames';
import { changeMap, devicesScope, lastStepScope, localsOf, locksScope, periphsScope, processScope, type ScopeView } from './views';
import { pathOfExpression } from './recordedPaths';
import type { ReplayLine } from './replaySchedule';
import { complete, type CompletionView } from './completions';
import { kernelHover } from './kernelHover';
import { APPROXIMATE, faultId, faultOf } from './faults';
import { CAM_PERIPH_FLAG_NAMES, D_FLAG_NAMES, errnoText, flagsText, showValue } from './format';

export interface ExceptionView {
  id: string;
  description: string;
  breakMode: 'always' | 'unhandled';
  details: string;
  replay?: ReplayLine;
}

export type Evaluation = { ok: true; value: string; type?: string } | { ok: false; message: string };

export class Inspector {
  /** Per process, the scenario line a finished process shows (its closing brace, 1-based). */
  private readonly endLines: number[];

  constructor(private readonly at: Stepper) {
    const { scenario, config } = at;
    this.endLines = config.processes.map((_, i) => {
      const decl = scenario.processes[i];
      return decl ? (decl.closeRange ?? decl.range).end.line + 1 : 1;
    });
  }

  /** The step the inspector reads at (the stepper's cursor). */
  get cursor(): number {
    return this.at.cursor;
  }

  private get machine(): Machine {
    return this.at.machine;
  }

  /** What the last step (the one before the cursor) changed. */
  lastChanges(): Change[] {
    const p = this.at.previous;
    return p ? diff(p, this.machine) : [];
  }

  threads(): { pid: number; name: string }[] {
    return this.at.names.map((_, pid) => ({ pid, name: threadName(this.machine, pid) }));
  }

  frames(pid: number): FrameView[] {
    return framesOf(this.machine, pid, this.endLines[pid]);
  }

  /** The scopes of frame `level` of `pid` at the cursor. */
  scopes(pid: number, level: number): ScopeView[] {
    const m = this.machine;
    const changes = this.lastChanges();
    const cm = changeMap(changes);
    const frame = this.frames(pid)[level];
    const out: ScopeView[] = [];
    if (frame?.stackIndex !== undefined) {
      const f = m.procs[pid].stack[frame.stackIndex];
      out.push({ name: `Locals: ${FUNCTIONS[f.fn].name}()`, hint: 'locals', children: () => localsOf(m, f) });
    }
    out.push({ name: `Process ${this.at.names[pid]}`, children: () => processScope(m, pid, cm) });
    out.push({ name: 'Devices (cdev, vnode)', children: () => devicesScope(m, cm) });
    out.push({ name: 'Periphs (cam_periph, softc)', children: () => periphsScope(m, cm) });
    out.push({ name: 'Locks', children: () => locksScope(m, cm) });
    const pos = this.at.cursor;
    const last = pos > 0 ? this.at.recording.pidAt(pos - 1) : -1;
    out.push({ name: last >= 0 ? `Last step (${pos - 1}, ${this.at.names[last]})` : 'Last step (none yet)', children: () => lastStepScope(changes) });
    return out;
  }

  /** Evaluates an expression at the cursor (`process`: whose bare descriptor names resolve). */
  evaluate(text: string, pid?: number, hover = false): Evaluation {
    const m = this.machine;
    const process = pid !== undefined ? this.at.names[pid] : undefined;
    if (hover && pid !== undefined) {
      const st = m.procs[pid]?.stack;
      const target = kernelHover(text, m, st?.[st.length - 1]);
      if (target?.kind === 'local') return { ok: true, value: target.value, type: target.type };
      if (target?.kind === 'expression') text = target.text;
    }
    const r = evaluateText(text, m, this.at.scenario, { process });
    if (!r.ok) return r;
    return { ok: true, value: this.decorate(text.trim(), r.value), type: typeof r.value === 'string' ? 'name' : typeof r.value === 'boolean' ? 'bool' : 'number' };
  }

  /** Flags get their names, errnos their symbol: `8 (CAM_PERIPH_INVALID)`. */
  private decorate(text: string, v: Change['new']): string {
    if (typeof v !== 'number') return showValue(v);
    const m = /^([A-Za-z_][\w-]*)\.(flags|softc_flags|d_flags)$/.exec(text);
    const devices = this.at.config.devices;
    const dev = m ? devices.findIndex((d) => d.name === m[1]) : -1;
    if (m && dev >= 0) {
      const names = m[2] === 'flags' ? CAM_PERIPH_FLAG_NAMES : m[2] === 'd_flags' ? D_FLAG_NAMES : variantOf(devices[dev]).softcFlagNames;
      return v === 0 ? '0' : `${v} = ${flagsText(v, names)}`;
    }
    if (/(^|\.)errno$/.test(text)) return errnoText(v);
    return String(v);
  }

  completions(text: string, offset: number, pid?: number): CompletionView[] {
    return complete(text, offset, this.at.scenario, pid !== undefined ? this.at.names[pid] : undefined);
  }

  /** The recorded value an expression names (data breakpoints, why). */
  pathOf(text: string, pid?: number): ReturnType<typeof pathOfExpression> {
    return pathOfExpression(text, this.at.scenario, this.at.known, pid !== undefined ? this.at.names[pid] : undefined);
  }

  /** The steps before the cursor that wrote `path`, newest first. */
  why(path: string, limit = WHY_LIMIT): { total: number; writes: WriteView[] } {
    const { recording, writes: index, cursor } = this.at;
    const total = index.count(path, cursor);
    const writes = index.writes(path, cursor, limit).map((k): WriteView => {
      const s = describeStep(recording.stateAt(k).m, recording.stateAt(k + 1).m, recording.pidAt(k), k, 0);
      const c = s.changes.find((x) => x.path === path)!;
      return { step: k, process: s.process, function: s.fn || '(statement)', file: s.file || this.at.program, line: s.line, code: s.code, old: c.old, new: c.new };
    });
    return { total, writes };
  }

  /** Recorded steps [from, from + count) as the trace describes them (the range is clipped to the recording). */
  trace(from: number, count: number): TraceStep[] {
    const recording = this.at.recording;
    const start = Math.min(Math.max(0, Math.floor(from)), recording.length);
    const end = Math.min(recording.length, start + Math.max(0, Math.floor(count)));
    const out: TraceStep[] = [];
    let slice = recording.sliceCount(start) - 1;
    for (let k = start; k < end; k++) {
      if (recording.startedSlice(k)) slice++;
      out.push(describeStep(recording.stateAt(k).m, recording.stateAt(k + 1).m, recording.pidAt(k), k, Math.max(0, slice)));
    }
    return out;
  }

  /**
   * The exception at the cursor: the lock release or errno the last stop broke
   * on, else the panic, use after free or deadlock of the machine at the cursor
   * (however the cursor got there).
   */
  exceptionInfo(): ExceptionView | undefined {
    const last = this.at.lastStop;
    const e = last?.reason === 'exception' ? last.exception : undefined;
    if (e && (e.id === 'lockdrop' || e.id === 'errno')) {
      return { id: e.id, description: e.description, breakMode: 'always', details: e.description };
    }
    const o = faultOf(this.machine);
    if (!o) return undefined;
    const replay = this.at.replay();
    const where = o.file ? `${o.fn}() at ${o.file}:${o.line}` : `${o.fn}()`;
    const approx = replay.verified === false ? ` (${APPROXIMATE})` : '';
    const details = [
      o.message,
      `in process ${this.at.names[o.pid]}, ${where}`,
      `replay: ${replay.line}${approx}`,
      `  camsim run --schedule "${replay.line.replace(/^schedule\s*/, '')}" ${this.at.program}`,
    ].join('\n');
    return { id: faultId(o), description: `${o.message} — replay: ${replay.line}`, breakMode: 'always', details, replay };
  }
}
