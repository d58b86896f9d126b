// `camsim check` of pass(4) written in C in a scenario (the own-driver samples'
// drivers) against the built-in pass model: states stored and time to the
// verdict, for N = 2..6 processes each doing K = 1..2 open/close cycles, before
// and after the fix. Target: equal states, time within 1.2x. In process: the
// explorer alone, what `camsim check` runs after loading (loading each scenario,
// its driver compiled, is timed separately).
//
//   npm run build && node --expose-gc out/bench/own-driver.js [--n 2..6] [--k 1..2] [--runs 3]

import { loadScenario } from '../core/engine/scenarioRun';
import { explore } from '../core/engine/explore/explore';
import { summarize } from '../core/engine/explore/summary';
import { passRaceScenario } from '../test/helpers/ownDriverPass';
import { pair } from './common';

function range(arg: string | undefined, lo: number, hi: number): [number, number] {
  if (!arg) return [lo, hi];
  const m = /^(\d+)(?:\.\.(\d+))?$/.exec(arg);
  if (!m) throw new Error(`bad range ${arg}`);
  return [Number(m[1]), Number(m[2] ?? m[1])];
}

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function check(text: string): { states: number; verdict: string } {
  const l = loadScenario(text);
  if (!l.config) throw new Error(l.diagnostics.map((d) => d.message).join('; '));
  const r = explore(l.config, l.scenario, l.text);
  return { states: r.states, verdict: summarize(r).verdict };
}

function main(): void {
  const [n0, n1] = range(option('n'), 2, 6);
  const [k0, k1] = range(option('k'), 1, 2);
  const runs = Number(option('runs') ?? 3);
  console.log(`pass written in C (own) against the built-in pass (model): explorer time, medians of ${runs} alternating runs`);
  console.log('variant     N  K   verdict     states own/model      ms own    ms model   time ratio');
  let worst = 0;
  let unequal = 0;
  for (const fixed of [false, true]) {
    for (let n = n0; n <= n1; n++) {
      for (let k = k0; k <= k1; k++) {
        const own = passRaceScenario(n, k, fixed, true);
        const model = passRaceScenario(n, k, fixed, false);
        const p = pair(() => check(own), () => check(model), runs);
        const ratio = p.ours / p.base;
        worst = Math.max(worst, ratio);
        if (p.value.states !== p.baseValue.states || p.value.verdict !== p.baseValue.verdict) unequal++;
        console.log(
          `${(fixed ? 'after-fix' : 'before-fix').padEnd(11)} ${String(n).padStart(1)}  ${k}   ${p.value.verdict.padEnd(10)} ` +
            `${`${p.value.states}/${p.baseValue.states}`.padStart(17)}  ${p.ours.toFixed(1).padStart(9)}  ${p.base.toFixed(1).padStart(9)}   ${ratio.toFixed(2)}x`,
        );
      }
    }
  }
  const load = pair(() => loadScenario(passRaceScenario(2, 1, true, true)), () => loadScenario(passRaceScenario(2, 1, true, false)), 50);
  console.log(`load (parse, check, compile; the driver cached after the first): own ${load.ours.toFixed(2)} ms, model ${load.base.toFixed(2)} ms`);
  console.log(`configurations with unequal states or verdicts: ${unequal}; worst time ratio ${worst.toFixed(2)}x (target 1.20x)`);
}

main();
