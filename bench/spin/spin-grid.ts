// Runs the SPIN baseline over a grid of configurations and prints a markdown table.
//
//   node out/bench/spin/spin-grid.js [--n 2..6] [--k 1..2] [--variant before|after|both] [--timeout 120]
//                                    [--mem 8192] [--hash-bits 24]

import { ensureSpin, runSpin, SpinResult } from './run-spin';

function range(text: string, flag: string): number[] {
  const m = /^(\d+)(?:\.\.(\d+))?$/.exec(text);
  if (!m) throw new Error(`${flag}: expected a number or a range like 2..6, got "${text}"`);
  const lo = Number(m[1]);
  const hi = m[2] === undefined ? lo : Number(m[2]);
  if (hi < lo) throw new Error(`${flag}: empty range "${text}"`);
  return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
}

function parseArgs(argv: string[]) {
  const opts = { n: range('2..6', '--n'), k: range('1..2', '--k'), variants: [false, true], timeoutS: 120, mem: 8192, hashBits: undefined as number | undefined };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[++i];
    if (value === undefined) throw new Error(`${flag}: missing value`);
    if (flag === '--n') opts.n = range(value, flag);
    else if (flag === '--k') opts.k = range(value, flag);
    else if (flag === '--variant') {
      if (!['before', 'after', 'both'].includes(value)) throw new Error(`--variant: expected before, after or both, got "${value}"`);
      opts.variants = value === 'both' ? [false, true] : [value === 'after'];
    } else if (flag === '--timeout') opts.timeoutS = Number(value);
    else if (flag === '--mem') opts.mem = Number(value);
    else if (flag === '--hash-bits') opts.hashBits = Number(value);
    else throw new Error(`unknown option ${flag}`);
  }
  return opts;
}

const fmtMs = (ms: number) => (ms >= 10000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);

export function tableRow(fixed: boolean, n: number, k: number, r: SpinResult): string {
  const verdict = r.verdict === 'timeout' ? 'timeout (incomplete)' : r.verdict;
  // A run that did not finish reports what it reached: a lower bound.
  const atLeast = (x: number) => (r.verdict === 'timeout' || r.verdict === 'error' ? `> ${x}` : String(x));
  return `| ${fixed ? 'after' : 'before'} | ${n} | ${k} | ${verdict} | ${atLeast(r.statesStored)} | ${atLeast(r.transitions)} | ${r.depth} | ${r.memoryMb.toFixed(0)} | ${fmtMs(r.msGenerateAndCompile)} | ${fmtMs(r.msVerify)} | ${fmtMs(r.msTotal)} |`;
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const inst = await ensureSpin((l) => process.stderr.write(`${l}\n`));
  process.stdout.write(`${inst.version.split('\n')[0]}; timeout ${opts.timeoutS} s per configuration\n\n`);
  process.stdout.write('| variant | N | K | verdict | states stored | transitions | depth | memory MB | spin -a + gcc | verify | total |\n');
  process.stdout.write('|---|---|---|---|---|---|---|---|---|---|---|\n');
  for (const fixed of opts.variants) {
    for (const k of opts.k) {
      for (const n of opts.n) {
        const r = await runSpin({ n, k, fixed, timeoutMs: opts.timeoutS * 1000, memLimitMb: opts.mem, hashBits: opts.hashBits });
        process.stdout.write(tableRow(fixed, n, k, r) + '\n');
        if (r.message && r.verdict !== 'panic') process.stderr.write(`  N=${n} K=${k} ${fixed ? 'after' : 'before'}: ${r.message}\n`);
      }
    }
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`spin-grid: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
