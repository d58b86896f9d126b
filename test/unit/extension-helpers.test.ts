// The extension's editor-independent helpers: reading the verdict of the real CLI
// (dist/cli.js, as the extension runs it), the declared type of its JSON, and the
// timeline webview's Content-Security-Policy.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkJsonProblems, readCheckJson, runJsonProblems, type CheckJson } from '../../core/protocol';
import { checkReportLines, readCheckOutcome, readRunOutcome } from '../../extension/cliVerdict';
import { contentSecurityPolicy, makeNonce, timelineHtml } from '../../extension/timeline/html';

const ROOT = path.resolve(__dirname, '..', '..', '..');
/** The CLI bundle the extension runs (npm run build makes it). */
const CLI = path.join(ROOT, 'dist', 'cli.js');
const SAMPLE = path.join(ROOT, 'samples', 'pass-race-before-fix.camsim');

function camsim(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: ROOT });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('Check reads the counterexample of `camsim check --json` on the before-fix sample, and it replays the panic', () => {
  const r = camsim('check', '--json', SAMPLE);
  assert.equal(r.code, 0, r.stderr);
  const outcome = readCheckOutcome(r.code, false, r.stdout, r.stderr);
  assert.equal(outcome.verdict, 'holds');
  assert.match(outcome.summary, /^every expectation holds \(.*states explored\); a panic is reachable \(cam_periph_release_locked_buses: release of 0x[0-9a-f]+ when refcount is zero\)$/);
  assert.ok(outcome.counterexample, 'a counterexample');
  assert.match(outcome.counterexample.schedule, /^schedule( [AB](\*\d+)?)+$/);
  assert.match(outcome.counterexample.shows, /when refcount is zero/);
  // the schedule of the panic, the one `camsim run --schedule` replays to the panic
  const panic = outcome.report!.outcomes.find((o) => o.kind === 'panic')!;
  assert.equal(outcome.counterexample.schedule, panic.counterexample!.schedule);
  const replay = camsim('run', '--json', SAMPLE, '--schedule', outcome.counterexample.schedule.replace(/^schedule /, ''));
  assert.equal(JSON.parse(replay.stdout).status, 'panic');
  const lines = checkReportLines(outcome.report!);
  assert.ok(lines.includes(`counterexample: ${outcome.counterexample.schedule}`), lines.join('\n'));
  assert.ok(lines.some((l) => l.startsWith('  expect panic: held (')), lines.join('\n'));
});

test('a failing expectation: verdict failed, its counterexample first', () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'camsim-')), 'no-panic.camsim');
  fs.writeFileSync(file, fs.readFileSync(SAMPLE, 'utf8').replace('expect panic', 'expect no panic'));
  const r = camsim('check', '--json', file);
  assert.equal(r.code, 1, r.stderr);
  const outcome = readCheckOutcome(r.code, false, r.stdout, r.stderr);
  assert.equal(outcome.verdict, 'failed');
  assert.match(outcome.summary, /^expect no panic FAILED: /);
  assert.match(outcome.counterexample?.shows ?? '', /^expect no panic fails: /);
});

test('exit status 3 (a bound stopped the search) is incomplete, not a crash', () => {
  const r = camsim('check', '--json', '--max-states', '5', SAMPLE);
  assert.equal(r.code, 3, r.stderr);
  const outcome = readCheckOutcome(r.code, false, r.stdout, r.stderr);
  assert.equal(outcome.verdict, 'incomplete');
  assert.match(outcome.summary, /^INCOMPLETE: the search stopped at the state limit after \d+ states, before deciding expect panic$/);
  assert.equal(outcome.counterexample, undefined);
});

test('invalid input and a CLI that printed no result: the reason from stderr', () => {
  const bad = camsim('check', '--json', path.join(ROOT, 'test', 'fixtures', 'broken.camsim'));
  assert.equal(bad.code, 2);
  const invalid = readCheckOutcome(bad.code, false, bad.stdout, bad.stderr);
  assert.equal(invalid.verdict, 'invalid');
  assert.match(invalid.summary, /broken\.camsim:\d+:\d+: error: /);
  const crashed = readCheckOutcome(0, false, 'not json', '');
  assert.equal(crashed.verdict, 'crashed');
  assert.equal(crashed.summary, 'camsim check printed no JSON result');
  assert.equal(readCheckOutcome(null, true, '', '').verdict, 'cancelled');
  assert.equal(readCheckOutcome(134, false, '', 'Segmentation fault\n').summary, 'Segmentation fault');
});

test('the JSON of check and run is exactly the type core/protocol/cliJson.ts declares', () => {
  for (const args of [['check', '--json', SAMPLE], ['check', '--json', '--coverage', '--exhaustive', '--max-depth', '200', SAMPLE], ['check', '--json', '--max-states', '5', SAMPLE]]) {
    const r = camsim(...args);
    const json: unknown = JSON.parse(r.stdout);
    assert.deepEqual(checkJsonProblems(json, { strict: true }), [], args.join(' '));
    assert.equal((json as CheckJson).schemaVersion, 1);
  }
  const run = JSON.parse(camsim('run', '--json', SAMPLE).stdout);
  assert.deepEqual(runJsonProblems(run, { strict: true }), []);
  assert.equal(run.schemaVersion, 1);
  assert.equal(run.command, 'run');
});

test('the run-time check of the JSON fails on a missing, mistyped or undeclared field', () => {
  const good = JSON.parse(camsim('check', '--json', SAMPLE).stdout);
  const without = { ...good };
  delete without.outcomes;
  assert.deepEqual(checkJsonProblems(without), ['$.outcomes: missing']);
  assert.deepEqual(checkJsonProblems({ ...good, exit: 2 }), ['$.exit: expected one of 0, 1, 3, found 2']);
  const cx = good.outcomes[0].counterexample;
  const broken = { ...good, outcomes: [{ ...good.outcomes[0], counterexample: { ...cx, schedule: 7 } }] };
  assert.deepEqual(checkJsonProblems(broken), ['$.outcomes[0].counterexample.schedule: expected a string, found number']);
  assert.deepEqual(checkJsonProblems({ ...good, extra: 1 }), []);
  assert.deepEqual(checkJsonProblems({ ...good, extra: 1 }, { strict: true }), ['$.extra: not declared in core/protocol/cliJson.ts']);
  const old = readCheckJson(JSON.stringify({ ...good, schemaVersion: 0 }));
  assert.equal(old.ok, false);
  assert.match(old.ok ? '' : old.message, /schema version 0; this version reads version 1/);
});

test('run: the exit status decides, the last line is the summary', () => {
  const out = readRunOutcome(1, false, 'result: no panic\n  expect panic: FAILED (no panic)\n');
  assert.equal(out.verdict, 'failed');
  assert.equal(out.summary, 'expect panic: FAILED (no panic)');
  const bad = readRunOutcome(2, false, 'usage:\n  camsim run FILE\n', "camsim: unknown command 'rnu'\n");
  assert.equal(bad.verdict, 'invalid');
  assert.equal(bad.summary, "camsim: unknown command 'rnu'");
  assert.equal(readRunOutcome(1, false, '', '').summary, 'exited with code 1');
  assert.equal(readRunOutcome(0, true, '', '').verdict, 'cancelled');
});

test('the timeline webview allows only its own nonce-carrying script and style', () => {
  const nonce = makeNonce();
  assert.notEqual(nonce, makeNonce());
  const csp = contentSecurityPolicy('vscode-webview://x', nonce);
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, new RegExp(`script-src 'nonce-${nonce.replace(/[+/=]/g, '\\$&')}'`));
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:/);
  const html = timelineHtml('vscode-webview://x', nonce);
  const scripts = html.match(/<script[^>]*>/g) ?? [];
  assert.ok(scripts.length > 0);
  for (const tag of scripts) assert.ok(tag.includes(`nonce="${nonce}"`), tag);
  assert.doesNotMatch(html, /(src|href)="https?:/);
});
