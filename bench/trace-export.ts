// Export and trace-file costs for a 100,000-step trace, each beside a baseline
// that does the least possible work on the same data:
//   - Chrome export (chromeTrace + JSON.stringify) vs JSON.stringify of the raw steps
//     (the trace's step objects, as one array: the least a JSON export can do)
//   - trace-file write (serializeTraceFile) vs JSON.stringify of the raw steps
//   - trace-file parse (parseTraceFile: JSON.parse + shape check + hash) vs JSON.parse of the raw steps
//   - replay (re-run + step-by-step check) vs the plain recorded run
//   - timeline model (timelineModel) vs one pass over the steps collecting counter changes
// The trace: two processes opening and closing pass0 (after the fix) in a `repeat`,
// round-robin, cut at 100,000 steps.
//
// Run: npm run build && node out/bench/trace-export.js

import { chromeTrace } from '../core/engine/trace/chrome';
import { runMachine } from '../core/engine/run/run';
import { loadScenario, runScenario } from '../core/engine/scenarioRun';
import { timelineModel } from '../core/engine/trace/timeline';
import { buildTraceFile, parseTraceFile, replayTraceFile, serializeTraceFile } from '../core/engine/trace/file';
import { counterValues } from '../core/engine/trace/spans';
import { once, pair, PAIR_RUNS, repeatedOpenClose } from './common';

const STEPS = 100_000;
const SCENARIO = repeatedOpenClose(1000);

const loaded = loadScenario(SCENARIO);
if (!loaded.config) throw new Error('the benchmark scenario does not load');
const record = once(() => runScenario(loaded, { maxSteps: STEPS }).run);
const run = record.value;
const trace = buildTraceFile(loaded, run, { maxSteps: STEPS });
const names = loaded.config.processes.map((p) => p.name);
const rawText = JSON.stringify(trace.steps);

const chrome = pair(() => JSON.stringify(chromeTrace(trace)), () => JSON.stringify(trace.steps));
const write = pair(() => serializeTraceFile(trace), () => JSON.stringify(trace.steps));
const parse = pair(() => parseTraceFile(write.value), () => JSON.parse(rawText));
if (!parse.value.ok) throw new Error(parse.value.message);
const replay = pair(() => replayTraceFile(trace, SCENARIO), () => runMachine(loaded.config!, { schedule: trace.schedule.slices, maxSteps: STEPS }), 3);
if (!replay.value.ok) throw new Error(replay.value.message);
const initial = counterValues(trace.initial.devices);
const timeline = pair(
  () => timelineModel(trace.steps, names, { initial }),
  () => {
    const out: { path: string; step: number; value: unknown }[] = [];
    for (const s of trace.steps) for (const c of s.changes) if (c.path.endsWith('.refcount') || c.path.endsWith('.si_usecount')) out.push({ path: c.path, step: s.index, value: c.new });
    return out;
  },
);

const mb = (s: string) => (Buffer.byteLength(s) / 1e6).toFixed(1);
const ms = (x: number) => `${x.toFixed(1).padStart(8)} ms`;
const row = (label: string, r: { ours: number; base: number }, baseLabel: string) =>
  console.log(`  ${label.padEnd(34)}${ms(r.ours)}   ${baseLabel.padEnd(36)}${ms(r.base)}   ratio ${(r.ours / r.base).toFixed(2)}x`);

const events = JSON.parse(chrome.value).traceEvents.length as number;
console.log(`trace of ${trace.steps.length.toLocaleString('en-US')} steps (${run.slices.length.toLocaleString('en-US')} slices, recorded in ${record.ms.toFixed(0)} ms); medians of ${PAIR_RUNS} runs (replay: 3), each alternating with its baseline`);
console.log(`  sizes: trace file ${mb(write.value)} MB, Chrome export ${mb(chrome.value)} MB (${events.toLocaleString('en-US')} events), raw steps JSON ${mb(rawText)} MB`);
row('Chrome export (build + stringify)', chrome, 'baseline: JSON.stringify(steps)');
row('trace file write', write, 'baseline: JSON.stringify(steps)');
row('trace file parse (+ check, hash)', parse, 'baseline: JSON.parse(steps JSON)');
row('replay (re-run + compare steps)', replay, 'baseline: the same run, no compare');
row('timeline model', timeline, 'baseline: one pass for counters');
