// Runs the SPIN baseline (bench/spin/pass.pml) for one configuration and reports SPIN's figures:
// spin -a, gcc, ./pan in a temporary directory, with one deadline over the three.

import { spawn, execFile } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export type SpinVerdict = 'panic' | 'deadlock' | 'ok' | 'timeout' | 'error';

export interface SpinOptions {
  /** Number of user processes (1..20). */
  n: number;
  /** open/close cycles per process (1..20). */
  k: number;
  /** true: pass(4) after the D_TRACKCLOSE fix; false: before it. */
  fixed: boolean;
  /** Deadline for generate + compile + verify together, in ms. */
  timeoutMs: number;
  /** pan's memory bound (-DMEMLIM, MB). Default 8192. */
  memLimitMb?: number;
  /** pan's search depth bound (-m). Default 100000 (the deepest run, N=6 K=2, is under 500). */
  maxDepth?: number;
  /** pan's hash table size as a power of two (-w). Default: SPIN's own (-w24). */
  hashBits?: number;
  /** Keep the temporary directory (pan.c, pan, the trail) and report it in workDir. */
  keepDir?: boolean;
  /** The spin executable; default: `spin` on PATH (see ensureSpin). */
  spin?: string;
}

export interface SpinResult {
  verdict: SpinVerdict;
  /** "states, stored"; on a timeout, the figure of pan's last progress line (or of its wrapup). */
  statesStored: number;
  /** "transitions (= stored+matched)". */
  transitions: number;
  /** "depth reached". */
  depth: number;
  /** "total actual memory usage" in MB (hash table and DFS stack included). */
  memoryMb: number;
  /** spin -a plus gcc, wall time. */
  msGenerateAndCompile: number;
  /** ./pan, wall time. */
  msVerify: number;
  /** Everything, including writing the model and removing the temporary directory. */
  msTotal: number;
  /** pan said "error: max search depth too small": the search was truncated. */
  depthLimitHit: boolean;
  /** pan reached -DMEMLIM or ran out of memory. */
  memoryLimitHit: boolean;
  /** Depth of the first error (panic or deadlock), from "(at depth N)". */
  errorDepth?: number;
  /** The first error line, or why the run failed or stopped. */
  message?: string;
  /** The commands run, for the record (paths relative to workDir). */
  commands: string[];
  workDir?: string;
}

/** Where pass.pml lives: next to this file in the sources, or bench/spin/ seen from out/bench/spin/. */
export function passModelPath(): string {
  const candidates = [path.join(__dirname, 'pass.pml'), path.resolve(__dirname, '../../../bench/spin/pass.pml')];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`pass.pml not found (looked in ${candidates.join(', ')})`);
  return found;
}

// gcc flags. -O2: the optimisation SPIN's documentation uses for pan. -DSAFETY: safety properties
// only (assertions and invalid end states), no cycle detection, as SPIN's manual advises for them.
// -DMEMLIM: pan stops cleanly at the bound instead of being killed by the OS. Nothing else: the
// default VECTORSZ (1024) is far above this model's 28..68-byte state vector, SPIN's partial-order
// reduction stays on (its default), and no state compression (-DCOLLAPSE, -DHC, bitstate) is used,
// because camsim's explorer is exact too.
export function gccArgs(memLimitMb: number): string[] {
  return ['-O2', '-DSAFETY', `-DMEMLIM=${memLimitMb}`, '-o', 'pan', 'pan.c'];
}

// pan flags: -m depth bound; -n: do not list unreached code (output only); -w only if asked.
export function panArgs(maxDepth: number, hashBits?: number): string[] {
  const args = [`-m${maxDepth}`, '-n'];
  if (hashBits !== undefined) args.push(`-w${hashBits}`);
  return args;
}

export function spinArgs(n: number, k: number, fixed: boolean): string[] {
  return [`-DN=${n}`, `-DK=${k}`, `-DFIXED=${fixed ? 1 : 0}`, '-a', 'pass.pml'];
}

interface Ran {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  ms: number;
}

/** Runs a program until it ends or the deadline passes. On the deadline it sends `stopSignal`, then
 * SIGKILL after a grace period (pan prints its statistics on SIGINT). */
function run(cmd: string, args: string[], cwd: string, deadline: number, stopSignal: NodeJS.Signals = 'SIGKILL'): Promise<Ran> {
  const start = performance.now();
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let killTimer: NodeJS.Timeout | undefined;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const stopTimer = setTimeout(() => {
      timedOut = true;
      child.kill(stopSignal);
      if (stopSignal !== 'SIGKILL') killTimer = setTimeout(() => child.kill('SIGKILL'), 5000);
    }, Math.max(0, deadline - Date.now()));
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(stopTimer);
      if (killTimer) clearTimeout(killTimer);
      resolve({ code, signal, stdout, stderr, timedOut, ms: performance.now() - start });
    };
    child.on('error', (err) => {
      stderr += String(err.message);
      finish(null, null);
    });
    child.on('close', finish);
  });
}

/** The figures pan prints, from its final report or, failing that, its last progress line. */
export function parsePanOutput(out: string): Omit<SpinResult, 'msGenerateAndCompile' | 'msVerify' | 'msTotal' | 'commands' | 'workDir' | 'verdict'> & {
  assertion: boolean;
  invalidEnd: boolean;
  finalReport: boolean;
} {
  const num = (re: RegExp): number | undefined => {
    const m = re.exec(out);
    return m ? Number(m[1]) : undefined;
  };
  const lastProgress = [...out.matchAll(/^Depth=\s*(\d+) States=\s*(\S+) Transitions=\s*(\S+) Memory=\s*(\S+)/gm)].pop();
  const stored = num(/^\s*(\S+) states, stored/m);
  const transitions = num(/^\s*(\S+) transitions \(= /m);
  const depth = num(/depth reached (\d+)/);
  const memory = num(/^\s*(\S+)\s+total actual memory usage/m);
  const errLine = /^pan:\d+: (.*)$/m.exec(out);
  const assertion = /^pan:\d+: assertion violated/m.test(out);
  const invalidEnd = /^pan:\d+: invalid end state/m.test(out);
  const errorDepth = num(/^pan:\d+: .*\(at depth (\d+)\)/m);
  return {
    statesStored: stored ?? (lastProgress ? Number(lastProgress[2]) : 0),
    transitions: transitions ?? (lastProgress ? Number(lastProgress[3]) : 0),
    depth: depth ?? (lastProgress ? Number(lastProgress[1]) : 0),
    memoryMb: memory ?? (lastProgress ? Number(lastProgress[4]) : 0),
    depthLimitHit: /error: max search depth too small/.test(out),
    memoryLimitHit: /pan: reached -DMEMLIM bound|pan: out of memory|out of memory -- aborting/.test(out),
    errorDepth,
    message: errLine ? errLine[1] : undefined,
    assertion,
    invalidEnd,
    finalReport: stored !== undefined,
  };
}

/** Generates, compiles and runs the verifier for one configuration. Never throws for a failed run:
 * the verdict is 'error' with a message. */
export async function runSpin(opts: SpinOptions): Promise<SpinResult> {
  const t0 = performance.now();
  const deadline = Date.now() + opts.timeoutMs;
  const memLimitMb = opts.memLimitMb ?? 8192;
  const maxDepth = opts.maxDepth ?? 100000;
  const spinCmd = opts.spin ?? 'spin';
  const commands = [
    `spin ${spinArgs(opts.n, opts.k, opts.fixed).join(' ')}`,
    `gcc ${gccArgs(memLimitMb).join(' ')}`,
    `./pan ${panArgs(maxDepth, opts.hashBits).join(' ')}`,
  ];
  const empty = { statesStored: 0, transitions: 0, depth: 0, memoryMb: 0, depthLimitHit: false, memoryLimitHit: false };
  for (const [name, v, lo, hi] of [['n', opts.n, 1, 20], ['k', opts.k, 1, 20]] as const) {
    if (!Number.isInteger(v) || v < lo || v > hi) {
      return { verdict: 'error', ...empty, msGenerateAndCompile: 0, msVerify: 0, msTotal: 0, commands, message: `${name} must be an integer from ${lo} to ${hi}, got ${v}` };
    }
  }

  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'camsim-spin-'));
  const finish = async (r: Omit<SpinResult, 'msTotal' | 'commands' | 'workDir'>): Promise<SpinResult> => {
    if (!opts.keepDir) await fs.rm(dir, { recursive: true, force: true });
    return { ...r, msTotal: performance.now() - t0, commands, workDir: opts.keepDir ? dir : undefined };
  };

  await fs.copyFile(passModelPath(), path.join(dir, 'pass.pml'));
  const tGen = performance.now();
  const gen = await run(spinCmd, spinArgs(opts.n, opts.k, opts.fixed), dir, deadline);
  const genFailed = (what: string, r: Ran) => `${what} failed (${r.signal ?? `exit ${r.code}`}): ${(r.stderr + r.stdout).trim().slice(0, 2000)}`;
  if (gen.timedOut) return finish({ verdict: 'timeout', ...empty, msGenerateAndCompile: performance.now() - tGen, msVerify: 0, message: 'timed out in spin -a' });
  if (gen.code !== 0 || !existsSync(path.join(dir, 'pan.c'))) {
    return finish({ verdict: 'error', ...empty, msGenerateAndCompile: performance.now() - tGen, msVerify: 0, message: genFailed('spin -a', gen) });
  }
  const cc = await run('gcc', gccArgs(memLimitMb), dir, deadline);
  const msGenerateAndCompile = performance.now() - tGen;
  if (cc.timedOut) return finish({ verdict: 'timeout', ...empty, msGenerateAndCompile, msVerify: 0, message: 'timed out in gcc' });
  if (cc.code !== 0) return finish({ verdict: 'error', ...empty, msGenerateAndCompile, msVerify: 0, message: genFailed('gcc', cc) });

  const pan = await run('./pan', panArgs(maxDepth, opts.hashBits), dir, deadline, 'SIGINT');
  const p = parsePanOutput(pan.stdout);
  const { assertion, invalidEnd, finalReport, ...figures } = p;
  let verdict: SpinVerdict;
  let message = p.message;
  if (assertion) verdict = 'panic';
  else if (invalidEnd) verdict = 'deadlock';
  else if (pan.timedOut) {
    verdict = 'timeout';
    message = `stopped after ${opts.timeoutMs} ms; figures are those reached so far`;
  } else if (p.memoryLimitHit) {
    verdict = 'error';
    message = `pan reached its memory bound (-DMEMLIM=${memLimitMb} MB); figures are those reached so far`;
  } else if (pan.code !== 0 || !finalReport) {
    verdict = 'error';
    message = genFailed('./pan', pan);
  } else if (p.depthLimitHit) {
    verdict = 'error';
    message = `search depth bound -m${maxDepth} was hit: the search is incomplete`;
  } else if (/errors: 0/.test(pan.stdout)) verdict = 'ok';
  else {
    verdict = 'error';
    message = `unrecognised pan report: ${pan.stdout.trim().slice(-2000)}`;
  }
  return finish({ verdict, ...figures, msGenerateAndCompile, msVerify: pan.ms, message });
}

export interface SpinInstallation {
  spin: string;
  version: string;
}

function execText(cmd: string, args: string[]): Promise<{ ok: boolean; out: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { maxBuffer: 16 << 20 }, (err, stdout, stderr) => resolve({ ok: !err, out: `${stdout}${stderr}` }));
  });
}

/** Finds spin and gcc on PATH; as root, installs Debian's `spin` (and `gcc`) with apt-get, running
 * `apt-get update` first only if the plain install fails. Throws an Error saying what to do otherwise. */
export async function ensureSpin(log: (line: string) => void = () => undefined): Promise<SpinInstallation> {
  const probe = async () => {
    const s = await execText('spin', ['-V']);
    const g = await execText('gcc', ['--version']);
    return { spin: s.ok ? s.out.trim() : undefined, gcc: g.ok };
  };
  let found = await probe();
  if (found.spin && found.gcc) return { spin: 'spin', version: found.spin };

  const missing = [found.spin ? undefined : 'spin', found.gcc ? undefined : 'gcc'].filter((x): x is string => !!x);
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = (await execText('apt-get', ['--version'])).ok;
  if (!isRoot || !hasApt) {
    throw new Error(
      `${missing.join(' and ')} not found on PATH, and ${isRoot ? 'apt-get is not available' : 'this process is not root'}: ` +
        `install them (Debian/Ubuntu: sudo apt-get install -y ${missing.join(' ')}) or put them on PATH.`,
    );
  }
  log(`installing ${missing.join(' ')} with apt-get`);
  let inst = await execText('apt-get', ['install', '-y', ...missing]);
  if (!inst.ok) {
    log('apt-get install failed; running apt-get update and retrying');
    const upd = await execText('apt-get', ['update']);
    if (!upd.ok) throw new Error(`apt-get update failed:\n${upd.out.trim().slice(-2000)}`);
    inst = await execText('apt-get', ['install', '-y', ...missing]);
  }
  if (!inst.ok) throw new Error(`apt-get install -y ${missing.join(' ')} failed:\n${inst.out.trim().slice(-2000)}`);
  found = await probe();
  if (!found.spin || !found.gcc) throw new Error(`${missing.join(' and ')} still not usable after apt-get install`);
  return { spin: 'spin', version: found.spin };
}
