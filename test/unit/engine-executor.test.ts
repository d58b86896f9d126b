// The executor's contract: deterministic, pure, and its lines are the model sources'.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadScenario, runScenario } from '../../core/engine/scenarioRun';
import { initialMachine, runnable, step } from '../../core/engine/run/machine';
import { runMachine } from '../../core/engine/run/run';
import { FUNCTIONS, MODEL_SOURCES, functionsNamed, nearestStepLine, stepAtLine } from '../../core/kernel/functions';
import { twoProcessConfig } from '../helpers/interleavings';
import { formatSchedule } from '../../core/engine/run/schedulers';
import { parseScheduleLine } from '../../core/engine/run/scheduleLine';

const ROOT = join(__dirname, '..', '..', '..');
const sample = (name: string) => readFileSync(join(ROOT, 'samples', name), 'utf8');

test('the same seed gives the same trace; another seed gives another', () => {
  const cfg = twoProcessConfig('pass', 'before-fix', 2);
  const a = runMachine(cfg, { policy: { kind: 'random', seed: 42 } });
  const b = runMachine(cfg, { policy: { kind: 'random', seed: 42 } });
  assert.deepEqual(a.steps, b.steps);
  assert.deepEqual(a.slices, b.slices);
  const others = [1, 2, 3, 4, 5].map((seed) => runMachine(cfg, { policy: { kind: 'random', seed } }).slices.join());
  assert.ok(others.some((s) => s !== a.slices.join()), 'different seeds choose different orders');
});

test('step never changes the machine it is given', () => {
  const cfg = twoProcessConfig('ch', 'before-fix', 2);
  let m = initialMachine(cfg);
  for (let i = 0; i < 400 && runnable(m).length; i++) {
    const snapshot = JSON.stringify({ ...m, config: undefined });
    const pid = runnable(m)[i % runnable(m).length];
    const next = step(m, pid);
    assert.equal(JSON.stringify({ ...m, config: undefined }), snapshot, `step ${i} mutated its input`);
    assert.notEqual(next, m);
    m = next;
  }
});

test('a replayed schedule reproduces the run exactly', () => {
  const loaded = loadScenario(sample('pass-race-before-fix.camsim'));
  const first = runScenario(loaded, { policy: { kind: 'random', seed: 7 } });
  const names = loaded.config!.processes.map((p) => p.name);
  const line = formatSchedule(first.run.slices, names);
  const parsed = parseScheduleLine(line, names);
  assert.ok(parsed.ok);
  const again = runScenario(loaded, { schedule: parsed.ok ? parsed.pids : [] });
  assert.deepEqual(again.run.steps, first.run.steps);
});

test('every step line of every function is its line in the model source, and names its FreeBSD source', () => {
  for (const fn of FUNCTIONS) {
    assert.match(fn.models, /^sys\/[a-z/_]+\.c: /, `${fn.name} names its FreeBSD file`);
    const text = MODEL_SOURCES.get(fn.file);
    assert.ok(text, `${fn.file} is rendered`);
    const lines = text!.split('\n');
    fn.steps.forEach((s, pc) => {
      assert.equal(lines[s.line - 1], s.code, `${fn.file}:${s.line}`);
      assert.deepEqual(stepAtLine(fn.file, s.line), { fn, pc });
    });
  }
});

test('breakpoint lines move to the next line with a step', () => {
  const [close] = functionsNamed('devfs_close');
  assert.equal(nearestStepLine('devfs_vnops.c', close.firstLine), close.steps[0].line);
  assert.equal(nearestStepLine('devfs_vnops.c', close.steps[3].line), close.steps[3].line);
});

test('driver functions exist in both variants, with and without D_TRACKCLOSE in the cdevsw', () => {
  const closes = functionsNamed('passclose');
  assert.deepEqual(closes.map((f) => f.variant).sort(), ['after-fix', 'before-fix']);
  const src = MODEL_SOURCES.get('scsi_pass.c')!;
  assert.match(src, /\.d_flags =\t0,/);
  assert.match(src, /\.d_flags =\tD_TRACKCLOSE,/);
});

test('the samples run to the outcome they expect', () => {
  const expected: Record<string, string> = {
    'pass-race-before-fix.camsim': 'panic',
    'pass-race-after-fix.camsim': 'finished',
    'sg-race-before-fix.camsim': 'panic',
    'sg-race-after-fix.camsim': 'finished',
    'ch-race-before-fix.camsim': 'panic',
    'ch-race-after-fix.camsim': 'finished',
    'enc-race-before-fix.camsim': 'panic',
    'enc-race-after-fix.camsim': 'finished',
    'pt-exclusive.camsim': 'finished',
    'sa-exclusive.camsim': 'finished',
    'pass-device-loss.camsim': 'finished',
  };
  for (const [name, st] of Object.entries(expected)) {
    const r = runScenario(loadScenario(sample(name)));
    assert.equal(r.run.status, st, name);
    assert.ok(r.ok, `${name}: ${r.expectations.filter((e) => !e.held).map((e) => e.text + ': ' + e.detail).join('; ')}`);
  }
});

test('an after-fix run ends with every refcount back at rest and no lock held', () => {
  const r = runScenario(loadScenario(sample('pass-race-after-fix.camsim')));
  assert.equal(r.run.final.devs[0].refcount, 1);
  assert.ok(r.run.final.locks.every((l) => l.holder === -1));
});

test('repeat runs its body N times', () => {
  const loaded = loadScenario('device p: pass\nprocess A {\n  repeat 3 {\n    open p as f\n    close f\n  }\n}\n');
  assert.ok(loaded.config);
  const r = runScenario(loaded);
  assert.equal(r.run.status, 'finished');
  assert.equal(r.run.steps.filter((s) => s.fn === '' && s.code.startsWith('open')).length, 3);
});
