// The background race check through the real server: it reports the panic of
// the before-fix sample (with the shortest interleaving as related information
// and a code action that inserts its schedule), nothing on the after-fix sample,
// respects its settings, is abandoned by an edit and does not block requests.

import { after, before, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { DiagnosticSeverity, type CodeAction, type CodeLens, type Hover, type PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { LspClient, docUri } from './lsp-client';
import { applyWorkspaceEdit, checkVerdict, lineOf, messageOf, sample } from './lsp-util';
import { Commands } from '../../core/protocol';
import { loadScenario, runScenario } from '../../core/engine/scenarioRun';

const isRace = (code: unknown): boolean => typeof code === 'string' && code.startsWith('race-');
const hasRace = (p: PublishDiagnosticsParams): boolean => p.diagnostics.some((d) => isRace(d.code));

/** Three processes each opening and closing ch0 several times: far more states than a moment's search visits. */
function heavyScenario(cycles: number): string {
  const body = Array.from({ length: cycles }, () => '  open ch0 as f\n  close f').join('\n');
  return `device ch0: ch after-fix\nprocess A {\n${body}\n}\nprocess B {\n${body}\n}\nprocess C {\n${body}\n}\nexpect no panic\n`;
}

describe('background race check', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start({ settings: { backgroundCheck: { enabled: true, maxStates: 1_000_000, timeoutMs: 20000 } }, initializationOptions: { raceCheckDelayMs: 100 } });
  });
  after(async () => {
    assert.equal(await client.stop(), 0);
  });

  test('reports the panic of the before-fix sample with the steps of a shortest interleaving; the schedule it inserts replays the panic', async () => {
    const uri = docUri('before.camsim');
    const text = sample('pass-race-before-fix.camsim');
    await client.open(uri, text);
    const check = await client.waitForRaceCheck(uri);
    assert.equal(check.verdict, 'panic');
    assert.equal(check.version, 1);
    assert.ok(check.states > 1);
    assert.match(check.schedule ?? '', /^schedule( [AB](\*\d+)?)+$/);

    const p = await client.waitForDiagnostics(uri, hasRace);
    const race = p.diagnostics.filter((d) => isRace(d.code));
    assert.equal(race.length, 1, JSON.stringify(race));
    const [panic] = race;
    assert.equal(panic.code, 'race-panic');
    // the sample expects the panic: reported, but as information
    assert.equal(panic.severity, DiagnosticSeverity.Information);
    assert.equal(panic.range.start.line, lineOf(text, 'scenario "'));
    assert.match(messageOf(panic), /a panic is reachable .*release of 0x[0-9a-f]+ when refcount is zero/);
    assert.ok(messageOf(panic).includes(check.schedule!));
    // the checker's own race warning is still there
    assert.ok(p.diagnostics.some((d) => d.code === 'devfs-close-race'));
    // one related entry per run of one process's slices, the last one the panic
    const steps = panic.relatedInformation ?? [];
    assert.ok(steps.length >= 2);
    steps.forEach((s, i) => {
      assert.equal(s.location.uri, uri);
      assert.match(messageOf(s), new RegExp(`^${i + 1}\\. [AB](\\*\\d+)?: `));
    });
    assert.match(steps[steps.length - 1].message, /panics in cam_periph_release_locked_buses/);
    assert.match(messageOf(steps[0]), /stops in \w+ \(\w+\.c:\d+\) before `/);

    // the quick fix on that diagnostic inserts (here: replaces) the schedule line
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: panic.range,
      context: { diagnostics: [panic] },
    });
    const insert = actions.find((a) => a.title.startsWith('Insert the counterexample'));
    assert.ok(insert, JSON.stringify(actions.map((a) => a.title)));
    assert.equal(insert.kind, 'quickfix');
    assert.deepEqual(insert.diagnostics, [panic]);
    const edited = applyWorkspaceEdit(text, uri, insert.edit!);
    assert.ok(edited.includes(`\n${check.schedule}\n`));
    assert.equal(edited.split('\n').filter((l) => l.startsWith('schedule')).length, 1);
    // replayed by the engine, that schedule panics
    const loaded = loadScenario(edited);
    const run = runScenario(loaded, { record: false });
    assert.equal(run.run.status, 'panic');
  });

  test('without a schedule line, the counterexample is inserted before the expectations', async () => {
    const uri = docUri('no-schedule.camsim');
    const text = sample('sg-race-before-fix.camsim').replace(/^schedule .*\n/m, '');
    await client.open(uri, text);
    const check = await client.waitForRaceCheck(uri);
    assert.equal(check.verdict, 'panic');
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [] },
    });
    const insert = actions.find((a) => a.kind === 'source.camsim.insertSchedule');
    assert.ok(insert, JSON.stringify(actions));
    const edited = applyWorkspaceEdit(text, uri, insert.edit!);
    assert.ok(edited.includes(`${check.schedule}\n\nexpect panic`), edited);
    assert.equal(runScenario(loadScenario(edited), { record: false }).run.status, 'panic');
  });

  test('reports nothing on the after-fix sample', async () => {
    const uri = docUri('after.camsim');
    await client.open(uri, sample('pass-race-after-fix.camsim'));
    const check = await client.waitForRaceCheck(uri);
    assert.equal(check.verdict, 'ok');
    assert.equal(check.schedule, undefined);
    const last = client.diagnostics.filter((p) => p.uri === uri).at(-1)!;
    assert.deepEqual(last.diagnostics, []);
  });

  test('a failed expectation is reported on its line; an edit that only moves text keeps the result', async () => {
    const uri = docUri('leak.camsim');
    const text = sample('pass-race-after-fix.camsim').replace('expect pass0.refcount == 1', 'expect pass0.refcount == 2');
    await client.open(uri, text);
    const check = await client.waitForRaceCheck(uri);
    assert.equal(check.verdict, 'expectation-failed');
    const p = await client.waitForDiagnostics(uri, hasRace);
    const failed = p.diagnostics.filter((d) => d.code === 'race-expectation');
    assert.equal(failed.length, 1);
    assert.equal(failed[0].range.start.line, lineOf(text, 'expect pass0.refcount == 2'));
    assert.match(messageOf(failed[0]), /^`expect pass0.refcount == 2` fails on some interleaving: the value is false/);
    // two comment lines at the top: the same scenario, the warning moves down with its line
    const checks = client.raceChecks.length;
    const version = await client.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# one\n# two\n' }]);
    const moved = await client.diagnosticsFor(uri, version);
    const again = moved.diagnostics.filter((d) => d.code === 'race-expectation');
    assert.equal(again.length, 1, 'reported at once, without a new check');
    assert.equal(again[0].range.start.line, failed[0].range.start.line + 2);
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(client.raceChecks.length, checks, 'no new check for the same meaning');
  });

  test('an expected panic that no interleaving reaches is reported on its expectation', async () => {
    const uri = docUri('expect-panic.camsim');
    const text = sample('pass-race-after-fix.camsim').replace('expect no panic', 'expect panic');
    await client.open(uri, text);
    assert.equal((await client.waitForRaceCheck(uri)).verdict, 'expectation-failed');
    const p = await client.waitForDiagnostics(uri, hasRace);
    const race = p.diagnostics.filter((d) => isRace(d.code));
    assert.deepEqual(race.map((d) => [d.code, d.range.start.line]), [['race-expectation', lineOf(text, 'expect panic')]]);
    assert.match(messageOf(race[0]), /^`expect panic` fails: no interleaving panics \(all \d+ states explored\)$/);
    // its quick fix flips it, and the file then passes its check
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: race[0].range, context: { diagnostics: [race[0]] } });
    assert.deepEqual(actions.map((a) => [a.title, a.isPreferred]), [['Change to `expect no panic`', true]]);
    assert.deepEqual(actions[0].diagnostics, [race[0]]);
    const fixed = applyWorkspaceEdit(text, uri, actions[0].edit!);
    assert.equal(fixed.split('\n')[lineOf(text, 'expect panic')], 'expect no panic');
    assert.deepEqual(checkVerdict(text).failed.map((f) => f.split(':')[0]), ['expect panic']);
    assert.deepEqual(checkVerdict(fixed), { ok: true, failed: [] });
  });

  test('`expect no panic` broken by a reachable panic: reported on it, with quick fixes to flip it and to debug the counterexample, and a Debug Counterexample lens', async () => {
    const uri = docUri('expect-no-panic.camsim');
    const text = sample('pass-race-before-fix.camsim').replace('expect panic', 'expect no panic');
    const refreshes = client.codeLensRefreshes;
    await client.open(uri, text);
    const check = await client.waitForRaceCheck(uri);
    assert.equal(check.verdict, 'panic');
    const p = await client.waitForDiagnostics(uri, hasRace);
    const race = p.diagnostics.filter((d) => isRace(d.code));
    const line = lineOf(text, 'expect no panic');
    assert.deepEqual(race.map((d) => [d.code, d.range.start.line, d.severity]), [['race-expectation', line, DiagnosticSeverity.Warning]]);
    assert.match(messageOf(race[0]), /^`expect no panic` fails: a panic is reachable: cam_periph_release_locked_buses: release of 0x[0-9a-f]+ when refcount is zero\nshortest interleaving found/);
    assert.equal(race[0].data?.schedule, check.schedule);

    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: race[0].range, context: { diagnostics: [race[0]], only: ['quickfix'] } });
    assert.deepEqual(actions.map((a) => a.title), [
      'Change to `expect panic`',
      `Debug Counterexample: ${check.schedule}`,
      `Insert the counterexample: ${check.schedule}`,
    ]);
    for (const a of actions) assert.deepEqual(a.diagnostics, [race[0]]);
    // the flip: the file passes its check
    const fixed = applyWorkspaceEdit(text, uri, actions[0].edit!);
    assert.equal(fixed.split('\n')[line], 'expect panic');
    assert.equal(checkVerdict(text).ok, false);
    assert.deepEqual(checkVerdict(fixed), { ok: true, failed: [] });
    // the debug action runs the extension's command with the schedule
    assert.equal(actions[1].edit, undefined);
    assert.deepEqual(actions[1].command, { title: 'Debug Counterexample', command: Commands.debugCounterexample, arguments: [{ uri, schedule: check.schedule }] });

    // the lenses: Debug Counterexample above the scenario and above the failing expectation, after a refresh request
    assert.ok(client.codeLensRefreshes > refreshes, 'the server asks the client to refresh its lenses');
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    const debug = lenses.filter((l) => l.command?.command === Commands.debugCounterexample);
    assert.deepEqual(debug.map((l) => [l.range.start.line, l.command?.title, l.command?.arguments]), [
      [lineOf(text, 'scenario "'), 'Debug Counterexample', [{ uri, schedule: check.schedule }]],
      [line, 'Debug Counterexample', [{ uri, schedule: check.schedule }]],
    ]);
  });

  test('an edit abandons the running check; the server answers requests while a check runs', async () => {
    const uri = docUri('heavy.camsim');
    const text = heavyScenario(6);
    await client.open(uri, text);
    await client.diagnosticsFor(uri, 1);
    // let the check start (100 ms quiet), then ask for a hover while it runs
    await new Promise((r) => setTimeout(r, 300));
    const t0 = performance.now();
    const h = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 13 } });
    const latency = performance.now() - t0;
    assert.ok(h, 'hover on the driver');
    assert.ok(latency < 250, `hover took ${latency.toFixed(0)} ms during the check`);
    assert.equal(client.raceChecks.filter((c) => c.uri === uri).length, 0, 'the check was still running');
    // change what the scenario means: the first check must never report
    const lines = text.split('\n').length;
    const version = await client.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: lines, character: 0 } }, text: sample('pass-race-before-fix.camsim') }]);
    const check = await client.waitForRaceCheck(uri, () => true, 30_000);
    assert.equal(check.version, version, 'only the check of the edited document reports');
    assert.equal(check.verdict, 'panic');
  });
});

describe('background race check settings', () => {
  test('disabled: no check runs and no race diagnostics', async () => {
    const client = await LspClient.start({ settings: { backgroundCheck: { enabled: false } }, initializationOptions: { raceCheckDelayMs: 50 } });
    try {
      const uri = docUri('disabled.camsim');
      await client.open(uri, sample('pass-race-before-fix.camsim'));
      await client.diagnosticsFor(uri, 1);
      await new Promise((r) => setTimeout(r, 600));
      assert.equal(client.raceChecks.length, 0);
      assert.ok(!client.diagnostics.some(hasRace));
    } finally {
      assert.equal(await client.stop(), 0);
    }
  });

  test('maxStates bounds the search (verdict incomplete); a settings change re-runs the check', async () => {
    const client = await LspClient.start({ settings: { backgroundCheck: { maxStates: 20 } }, initializationOptions: { raceCheckDelayMs: 50 } });
    try {
      const uri = docUri('bounded.camsim');
      await client.open(uri, sample('pass-race-after-fix.camsim'));
      const first = await client.waitForRaceCheck(uri);
      assert.equal(first.verdict, 'incomplete');
      assert.ok(first.states <= 20 + 3, `${first.states} states`);
      client.settings = { backgroundCheck: { maxStates: 100000 } };
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
      const second = await client.waitForRaceCheck(uri, (p) => p.verdict !== 'incomplete');
      assert.equal(second.verdict, 'ok');
    } finally {
      assert.equal(await client.stop(), 0);
    }
  });

  test('a client without workspace/configuration passes settings in didChangeConfiguration', async () => {
    const client = await LspClient.start({ configuration: false, initializationOptions: { raceCheckDelayMs: 50 } });
    try {
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { camsim: { backgroundCheck: { enabled: false } } } });
      const uri = docUri('noconfig.camsim');
      await client.open(uri, sample('pass-race-before-fix.camsim'));
      await client.diagnosticsFor(uri, 1);
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(client.raceChecks.length, 0);
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { camsim: { backgroundCheck: { enabled: true } } } });
      assert.equal((await client.waitForRaceCheck(uri)).verdict, 'panic');
    } finally {
      assert.equal(await client.stop(), 0);
    }
  });
});
