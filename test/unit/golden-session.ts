// Runs a scripted debugging session against the stepper and the inspector
// directly (no Debug Adapter Protocol) and writes down what they answered: a
// transcript that test/unit/runtime-golden.test.ts compares with the folder's
// `expected` file. The script language, one command a line (`#` starts a comment):
//
//   launch FILE [schedule LINE]    FILE: in the folder, else from the repository root
//   break FILE:LINE [if COND]      a line of a model source (devfs_vnops.c:58) or of the scenario
//   break function NAME [if COND]  a kernel function
//   break data EXPR                a recorded value (pass0.refcount)
//   filters ID...                  the exception filters on (panic lockdrop errno deadlock)
//   continue | reverseContinue | restart | goto N
//   next P | stepIn P | stepOut P | runThread P | stepBack [P]    P: a process name
//   threads | stack [P] | vars [P] [SCOPE] | evaluate EXPR | why EXPR | exception | trace FROM COUNT | summary
//
// A process left out is the one the last stop showed.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { Stepper, type Stop } from '../../debug-adapter/runtime/stepper';
import { Inspector } from '../../debug-adapter/runtime/inspector';
import type { BreakpointResult, BreakpointSpec } from '../../debug-adapter/runtime/breakpoints';
import type { FrameView } from '../../debug-adapter/runtime/frames';
import type { VarNode } from '../../debug-adapter/runtime/views';

/** The repository root, from the compiled test (out/test/unit). */
export const REPO_ROOT = path.resolve(__dirname, '../../..');
export const GOLDEN_DIR = path.join(REPO_ROOT, 'test', 'golden');

/** How deep `vars` opens nested variables (a periph's softc, a process's descriptors). */
const VAR_DEPTH = 2;

class ScriptError extends Error {}

export async function runSession(folder: string): Promise<string> {
  const scriptPath = path.join(folder, 'script');
  const lines = fs.readFileSync(scriptPath, 'utf8').split('\n');
  const out: string[] = [];
  let session: Session | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/#.*$/, '').trim();
    if (!line) continue;
    out.push(`> ${line}`);
    const [command, ...rest] = line.split(/\s+/);
    const arg = line.slice(command.length).trim();
    try {
      if (command === 'launch') {
        if (session) throw new ScriptError('launch comes once, first');
        session = Session.launch(folder, arg, out);
        continue;
      }
      if (!session) throw new ScriptError('the script must begin with launch');
      await session.run(command, rest, arg);
    } catch (e) {
      if (e instanceof ScriptError) throw new Error(`${path.relative(REPO_ROOT, scriptPath)}:${i + 1}: ${e.message}`);
      throw e;
    }
  }
  return `${out.join('\n')}\n`;
}

class Session {
  private readonly inspector: Inspector;
  private shown = 0;
  private readonly lineBreakpoints = new Map<string, BreakpointSpec[]>();
  private readonly functionBreakpoints: (BreakpointSpec & { name: string })[] = [];
  private readonly dataBreakpoints: (BreakpointSpec & { dataId: string })[] = [];

  private constructor(
    private readonly stepper: Stepper,
    private readonly out: string[],
  ) {
    this.inspector = new Inspector(stepper);
  }

  static launch(folder: string, arg: string, out: string[]): Session {
    const m = /^(\S+)(?:\s+schedule\s+(.+))?$/.exec(arg);
    if (!m) throw new ScriptError('launch FILE [schedule LINE]');
    const inFolder = path.join(folder, m[1]);
    const file = fs.existsSync(inFolder) ? inFolder : path.join(REPO_ROOT, m[1]);
    // The program as the repository names it, so that transcripts read the same on every machine.
    const program = path.relative(REPO_ROOT, file).split(path.sep).join('/');
    const loaded = Stepper.load(
      { program, text: fs.readFileSync(file, 'utf8'), schedule: m[2] },
      { output: (text, category) => out.push(...text.replace(/\n$/, '').split('\n').map((l) => `  [${category}] ${l}`)) },
    );
    if (!loaded.ok) throw new ScriptError(loaded.message);
    const s = new Session(loaded.stepper, out);
    const rt = loaded.stepper;
    out.push(`${rt.names.length} threads (${rt.names.join(', ')}), schedule: ${rt.scheduleLabel}`);
    s.report(rt.entryStop());
    return s;
  }

  private say(...lines: string[]): void {
    this.out.push(...lines.map((l) => `  ${l}`));
  }

  private pid(name: string | undefined): number {
    if (name === undefined) return this.shown;
    const pid = this.stepper.names.indexOf(name);
    if (pid < 0) throw new ScriptError(`no process ${name} (the processes: ${this.stepper.names.join(', ')})`);
    return pid;
  }

  private where(f: FrameView): string {
    if (f.where.kind === 'model') return `${f.where.file}:${f.where.line}`;
    if (f.where.kind === 'scenario') return `${path.basename(this.stepper.program)}:${f.where.line}`;
    return '-';
  }

  private report(s: Stop): void {
    this.shown = s.pid;
    const name = this.stepper.names[s.pid];
    this.out.push(`stopped (${s.reason}) on ${name} at step ${this.stepper.cursor} of ${this.stepper.length}: ${s.description}`);
    const top = this.inspector.frames(s.pid)[0];
    if (top) this.say(`at ${top.name}  ${this.where(top)}`);
    if (s.breakpointIds?.length) this.say(`breakpoints ${s.breakpointIds.join(', ')}`);
  }

  private breakpoints(results: readonly BreakpointResult[]): void {
    const r = results[results.length - 1];
    this.say(r.verified ? `breakpoint ${r.id}${r.line !== undefined ? ` at line ${r.line}` : ''}` : `breakpoint ${r.id} unverified: ${r.message}`);
  }

  private setBreakpoint(arg: string): void {
    const m = /^(\S+)(?:\s+(.*?))?(?:\s+if\s+(.+))?$/.exec(arg);
    if (!m) throw new ScriptError('break FILE:LINE | function NAME | data EXPR [if COND]');
    const condition = m[3];
    const bps = this.stepper.bps;
    if (m[1] === 'function') {
      this.functionBreakpoints.push({ name: m[2] ?? '', condition });
      return this.breakpoints(bps.setFunctionBreakpoints(this.functionBreakpoints));
    }
    if (m[1] === 'data') {
      const p = this.inspector.pathOf(m[2] ?? '');
      if (!p.ok) return this.say(`no data breakpoint: ${p.message}`);
      this.dataBreakpoints.push({ dataId: p.path, condition });
      return this.breakpoints(bps.setDataBreakpoints(this.dataBreakpoints, (x) => this.stepper.known.has(x)));
    }
    const at = /^(.+):(\d+)$/.exec(m[1]);
    if (!at || m[2]) throw new ScriptError('break FILE:LINE [if COND]');
    const file = at[1];
    const specs = this.lineBreakpoints.get(file) ?? [];
    specs.push({ line: Number(at[2]), condition });
    this.lineBreakpoints.set(file, specs);
    const scenario = file === path.basename(this.stepper.program);
    this.breakpoints(scenario ? bps.setScenarioBreakpoints(specs, this.stepper.scenarioBreakpointLines) : bps.setModelBreakpoints(file, specs));
  }

  private vars(nodes: readonly VarNode[], depth: number): void {
    for (const v of nodes) {
      const changed = v.changed ? `  (changed, was ${v.changed.old})` : '';
      this.say(`${'  '.repeat(depth + 1)}${v.name} = ${v.value}${changed}`);
      if (v.children && depth + 1 < VAR_DEPTH) this.vars(v.children(), depth + 1);
    }
  }

  async run(command: string, rest: string[], arg: string): Promise<void> {
    const rt = this.stepper;
    const view = this.inspector;
    switch (command) {
      case 'continue':
        return this.report(await rt.continue());
      case 'reverseContinue':
        return this.report(await rt.reverseContinue());
      case 'next':
      case 'stepIn':
      case 'stepOut':
      case 'runThread':
        return this.report(await rt.stepProcess(command, this.pid(rest[0])));
      case 'stepBack':
        return this.report(await rt.stepBack(this.pid(rest[0])));
      case 'goto':
        return this.report(rt.gotoStep(Number(rest[0])));
      case 'restart':
        rt.restart();
        return this.report(rt.entryStop());
      case 'break':
        return this.setBreakpoint(arg);
      case 'filters':
        rt.bps.setExceptionFilters(rest);
        return this.say(`exception filters: ${rest.join(', ') || 'none'}`);
      case 'threads':
        return this.say(...view.threads().map((t) => t.name));
      case 'stack':
        return this.say(...view.frames(this.pid(rest[0])).map((f) => `#${f.level} ${f.name}  ${this.where(f)}`));
      case 'vars': {
        const named = rest[0] !== undefined && rt.names.includes(rest[0]);
        const pid = this.pid(named ? rest[0] : undefined);
        const prefix = (named ? rest.slice(1) : rest).join(' ') || 'Locals';
        const scope = view.scopes(pid, 0).find((s) => s.name.toLowerCase().startsWith(prefix.toLowerCase()));
        if (!scope) return this.say(`no scope ${prefix} (scopes: ${view.scopes(pid, 0).map((s) => s.name).join('; ')})`);
        this.say(`${scope.name}:`);
        return this.vars(scope.children(), 0);
      }
      case 'evaluate': {
        const r = view.evaluate(arg);
        return this.say(r.ok ? `${r.value}${r.type ? ` (${r.type})` : ''}` : `error: ${r.message}`);
      }
      case 'why': {
        const p = view.pathOf(arg);
        if (!p.ok) return this.say(`error: ${p.message}`);
        const { total, writes } = view.why(p.path);
        this.say(`${p.path}: ${total} write${total === 1 ? '' : 's'} before step ${view.cursor}`);
        return this.say(...writes.map((w) => `step ${w.step} ${w.process} ${w.function} ${path.basename(w.file)}:${w.line} ${String(w.old)} -> ${String(w.new)}  ${w.code}`));
      }
      case 'exception': {
        const e = view.exceptionInfo();
        return e ? this.say(`${e.id}: ${e.description}`, ...e.details.split('\n')) : this.say('no exception');
      }
      case 'trace':
        return this.say(...view.trace(Number(rest[0]), Number(rest[1])).map((s) =>
          `#${s.index} ${s.process} ${s.fn || '(statement)'} ${s.file || path.basename(rt.program)}:${s.line}  ${s.code}` +
          (s.changes.length ? `  [${s.changes.map((c) => `${c.path} ${String(c.old)}->${String(c.new)}`).join(', ')}]` : '')));
      case 'summary':
        return this.say(...rt.summary().lines);
      default:
        throw new ScriptError(`unknown command '${command}'`);
    }
  }
}
