// `camsim check` against SPIN on the same model: pass(4) before and after the
// D_TRACKCLOSE fix, N = 2..6 processes each doing K = 1..2 open/close cycles.
// For each configuration, in one run: states stored, transitions, and the wall
// time to the verdict of both, and their ratios.
//
//   camsim: `node bin/camsim.js check FILE --json` end to end (process start
//           included), and the search alone (the report's own timer);
//   SPIN:   bench/spin/pass.pml through bench/spin/run-spin.ts: spin -a + gcc +
//           ./pan (total), and ./pan alone. Installs or finds spin and gcc.
//
//   npm run build && node out/bench/check-vs-spin.js [--n 2..6] [--k 1..2] [--variant before|after|both]
//                                                    [--spin-timeout 120] [--camsim-timeout 120]
//
// Both stop at the first panic before the fix (SPIN's first assertion
// violation; camsim's `expect panic`), and explore everything after it
// (assertions and deadlocks: `expect no panic`, `expect no deadlock`).

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureSpin, runSpin, type SpinResult } from './spin/run-spin';
import type { CheckJson } from '../core/protocol';

const ROOT = join(__dirname, '..', '..');
const CAMSIM = join(ROOT, 'bin', 'camsim.js');

/** The scenario camsim checks for one configuration: the same processes as pass.pml's `active [N] proctype user()`. */
export function passScenario(n: number, k: number, fixed: boolean): string {
  const lines = [`# pass(4) ${fixed ? 'after' : 'before'} the fix: ${n} processes, ${k} open/close cycles each (bench/check-vs-spin.ts)`];
  lines.push(`device pass0: pass ${fixed ? 'after-fix' : 'before-fix'}`);
  for (let i = 1; i <= n; i++) lines.push(`process P${i} {`, `  repeat ${k} {`, '    open pass0 as f', '    close f', '  }', '}');
  lines.push(...(fixed ? ['expect no panic', 'expect no deadlock'] : ['expect panic']));
  return lines.join('\n') + '\n';
}

interface CamsimResult {
  verdict: 'panic' | 'ok' | 'incomplete' | 'error';
  states: number;
  transitions: number;
  /** `camsim check` wall time, process start to exit. */
  msCli: number;
  /** The search as the report times it. */
  msSearch: number;
  /** Peak resident memory of the camsim process (MB), when /usr/bin/time is there. */
  rssMb?: number;
  message?: string;
}

function runCamsim(file: string, timeoutS: number): Promise<CamsimResult> {
  const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
  const args = [CAMSIM, 'check', file, '--json', '--timeout', String(timeoutS)];
  const [cmd, argv] = timeBin ? [timeBin, ['-f', 'camsim-maxrss-kb %M', process.execPath, ...args]] : [process.execPath, args];
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('close', () => {
      const msCli = performance.now() - t0;
      const rss = /camsim-maxrss-kb (\d+)/.exec(err);
      try {
        const r = JSON.parse(out) as CheckJson;
        const panic = r.outcomes.find((o) => o.kind === 'panic')?.reachable === true;
        const verdict = panic ? 'panic' : r.complete ? 'ok' : 'incomplete';
        resolve({ verdict, states: r.states, transitions: r.transitions, msCli, msSearch: r.ms, rssMb: rss ? Number(rss[1]) / 1024 : undefined, message: verdict === 'incomplete' ? r.stop : undefined });
      } catch {
        resolve({ verdict: 'error', states: 0, transitions: 0, msCli, msSearch: 0, message: (err || out).trim().slice(0, 500) });
      }
    });
  });
}

function range(text: string, flag: string): number[] {
  const m = /^(\d+)(?:\.\.(\d+))?$/.exec(text);
  if (!m) throw new Error(`${flag}: expected a number or a range like 2..6, got "${text}"`);
  const lo = Number(m[1]);
  const hi = m[2] === undefined ? lo : Number(m[2]);
  return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
}

function parseArgs(argv: string[]) {
  const o = { n: range('2..6', '--n'), k: range('1..2', '--k'), variants: [false, true], spinTimeoutS: 120, camsimTimeoutS: 120 };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) throw new Error(`${flag}: missing value`);
    if (flag === '--n') o.n = range(value, flag);
    else if (flag === '--k') o.k = range(value, flag);
    else if (flag === '--variant') o.variants = value === 'both' ? [false, true] : [value === 'after'];
    else if (flag === '--spin-timeout') o.spinTimeoutS = Number(value);
    else if (flag === '--camsim-timeout') o.camsimTimeoutS = Number(value);
    else throw new Error(`unknown option ${flag}`);
  }
  return o;
}

const int = (x: number) => String(Math.round(x)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const ms = (x: number) => (x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${Math.round(x)} ms`);
const unfinished = (r: SpinResult) => r.verdict === 'timeout' || r.verdict === 'error';

/** SPIN's figure over camsim's; a lower bound (">") when SPIN did not finish. */
function ratio(spin: number, camsim: number, lowerBound: boolean): string {
  if (camsim <= 0) return '-';
  const x = spin / camsim;
  const s = x >= 100 ? int(x) : x >= 10 ? x.toFixed(0) : x.toFixed(1);
  return `${lowerBound ? '> ' : ''}${s}x`;
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const inst = await ensureSpin((l) => process.stderr.write(`${l}\n`));
  const dir = mkdtempSync(join(tmpdir(), 'camsim-vs-spin-'));
  process.stdout.write(`camsim check vs ${inst.version.split('\n')[0]} (gcc -O2 -DSAFETY, pan -m100000, default partial-order reduction); ` +
    `SPIN timeout ${o.spinTimeoutS} s, camsim timeout ${o.camsimTimeoutS} s; node ${process.version}\n\n`);
  process.stdout.write('| variant | N | K | verdict camsim / SPIN | states camsim | states SPIN | SPIN/camsim | transitions camsim | transitions SPIN | camsim check (end to end) | SPIN spin -a + gcc + pan | SPIN/camsim | camsim search | SPIN pan | SPIN/camsim | camsim RSS MB |\n');
  process.stdout.write('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n');
  try {
    for (const fixed of o.variants) {
      for (const k of o.k) {
        for (const n of o.n) {
          const file = join(dir, `pass-${fixed ? 'after' : 'before'}-${n}-${k}.camsim`);
          writeFileSync(file, passScenario(n, k, fixed));
          const c = await runCamsim(file, o.camsimTimeoutS);
          const s = await runSpin({ n, k, fixed, timeoutMs: o.spinTimeoutS * 1000 });
          const lb = unfinished(s);
          const atLeast = (x: number) => (lb ? `> ${int(x)}` : int(x));
          const sv = s.verdict === 'timeout' ? 'timeout' : s.verdict;
          process.stdout.write(
            `| ${fixed ? 'after' : 'before'} | ${n} | ${k} | ${c.verdict} / ${sv} | ${int(c.states)} | ${atLeast(s.statesStored)} | ${ratio(s.statesStored, c.states, lb)} ` +
              `| ${int(c.transitions)} | ${atLeast(s.transitions)} | ${ms(c.msCli)} | ${lb ? '> ' : ''}${ms(s.msTotal)} | ${ratio(s.msTotal, c.msCli, lb)} ` +
              `| ${ms(c.msSearch)} | ${lb ? '> ' : ''}${ms(s.msVerify)} | ${ratio(s.msVerify, c.msSearch, lb)} | ${c.rssMb !== undefined ? c.rssMb.toFixed(0) : '-'} |\n`,
          );
          if (c.message) process.stderr.write(`  camsim N=${n} K=${k} ${fixed ? 'after' : 'before'}: ${c.message}\n`);
          if (s.message && s.verdict !== 'panic') process.stderr.write(`  SPIN N=${n} K=${k} ${fixed ? 'after' : 'before'}: ${s.message}\n`);
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`check-vs-spin: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
