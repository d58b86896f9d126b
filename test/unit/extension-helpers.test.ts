// The extension's editor-independent helpers: reading the CLI's verdict, and the
// timeline webview's Content-Security-Policy.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readCliOutcome, verdictOf } from '../../extension/cliVerdict';
import { contentSecurityPolicy, makeNonce, timelineHtml } from '../../extension/timeline/html';

test('exit codes map to verdicts as the CLI documents them', () => {
  assert.equal(verdictOf(0, false), 'holds');
  assert.equal(verdictOf(1, false), 'failed');
  assert.equal(verdictOf(2, false), 'invalid');
  assert.equal(verdictOf(null, false), 'crashed');
  assert.equal(verdictOf(134, false), 'crashed');
  assert.equal(verdictOf(0, true), 'cancelled');
});

test('the summary is the last line, and a schedule line is the counterexample', () => {
  const out = readCliOutcome(1, false, 'explored 12 states\nschedule A*3 B A\n\nexpect no panic failed: an interleaving panics\n');
  assert.equal(out.verdict, 'failed');
  assert.equal(out.summary, 'expect no panic failed: an interleaving panics');
  assert.equal(out.schedule, 'schedule A*3 B A');
});

test('a CLI that could not run reports the reason from stderr', () => {
  const out = readCliOutcome(2, false, 'usage:\n  camsim run FILE\n', "camsim: unknown command 'check'\n");
  assert.equal(out.verdict, 'invalid');
  assert.equal(out.summary, "camsim: unknown command 'check'");
  assert.equal(out.schedule, undefined);
  assert.equal(readCliOutcome(1, false, '', '').summary, 'exited with code 1');
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
