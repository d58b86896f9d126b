// End-to-end time of `camsim check` on the four before-fix race samples (the
// panic found, with its shortest counterexample, process start to exit), beside
// the baseline of starting node with nothing to do, in one run:
//   check -q        bin/camsim.js (the bundled dist/cli.js): verdict and schedule line;
//   check           the same, printing the counterexample's steps (about 900 lines);
//   modules -q      the same program loaded from the separate modules of out/;
//   untuned -q      from out/, and without the start-up tuning of core/cli/startup.ts
//                   (the command as it was before both).
// Runs are interleaved, so that a machine busy for a moment slows every column alike.
//
// Twice: in the environment as inherited, and without NODE_EXTRA_CA_CERTS when it
// is set: node then reads and parses that certificate file at every start,
// before any script runs (about 30 ms on the machine of bench/RESULTS.md), and
// camsim makes no TLS connection that would need it.
//
//   npm run build && node out/bench/check-startup.js [--runs N]

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { median } from './common';

const ROOT = join(__dirname, '..', '..');
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 15;
const SAMPLES = ['pass', 'sg', 'ch', 'enc'].map((d) => join('samples', `${d}-race-before-fix.camsim`));
const BIN = join(ROOT, 'bin', 'camsim.js');
const OUT = (file: string) => JSON.stringify(join(ROOT, 'out', 'core', 'cli', file));
const FROM_MODULES = `require(${OUT('main.js')}).main(process.argv.slice(1)).then((c) => process.exit(c))`;
const TUNED = `require(${OUT('startup.js')}).tuneForShortRuns();`;

interface Variant {
  label: string;
  args: (file: string) => string[];
}

const VARIANTS: Variant[] = [
  { label: 'check -q', args: (f) => [BIN, 'check', '-q', f] },
  { label: 'check', args: (f) => [BIN, 'check', f] },
  { label: 'modules -q', args: (f) => ['-e', TUNED + FROM_MODULES, 'check', '-q', f] },
  { label: 'untuned -q', args: (f) => ['-e', FROM_MODULES, 'check', '-q', f] },
];

function wallMs(args: string[], env: NodeJS.ProcessEnv): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, env, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
  return ms;
}

function measure(env: NodeJS.ProcessEnv): { node: number[]; cells: number[][][] } {
  const node: number[] = [];
  const cells = SAMPLES.map(() => VARIANTS.map(() => [] as number[]));
  for (let i = 0; i < RUNS; i++) {
    node.push(wallMs(['-e', '0'], env));
    SAMPLES.forEach((file, s) => VARIANTS.forEach((v, k) => cells[s][k].push(wallMs(v.args(file), env))));
  }
  return { node, cells };
}

function report(title: string, env: NodeJS.ProcessEnv): void {
  const { node, cells } = measure(env);
  const base = median(node);
  console.log(`\n${title}`);
  console.log(`  baseline: node -e 0: median ${base.toFixed(0)} ms`);
  console.log(`  ${'median ms (ratio to node alone)'.padEnd(30)}${VARIANTS.map((v) => v.label.padStart(16)).join('')}`);
  SAMPLES.forEach((file, s) => {
    const row = cells[s].map((xs) => `${median(xs).toFixed(0)} (${(median(xs) / base).toFixed(2)}x)`.padStart(16));
    console.log(`  ${file.replace('samples/', '').padEnd(30)}${row.join('')}`);
  });
  const worst = VARIANTS.map((_, k) => Math.max(...cells.map((c) => median(c[k]))));
  console.log(`  ${'slowest sample'.padEnd(30)}${worst.map((w) => `${w.toFixed(0)}`.padStart(16)).join('')}`);
}

console.log(`camsim check, before-fix race samples, ${RUNS} interleaved runs each, process start to exit (target: under 100 ms)`);
const caFile = process.env.NODE_EXTRA_CA_CERTS;
report(caFile ? `environment as inherited (NODE_EXTRA_CA_CERTS=${caFile})` : 'environment as inherited', process.env);
if (caFile) {
  const clean = { ...process.env };
  delete clean.NODE_EXTRA_CA_CERTS;
  report('without NODE_EXTRA_CA_CERTS', clean);
}
