// The timeline page: a strict Content-Security-Policy with a nonce, nothing
// remote, colours only from the editor's theme, and the messages it accepts.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contentSecurityPolicy, makeNonce, TIMELINE_CSS, timelineHtml } from '../../extension/timeline/html';
import { isFromWebview } from '../../extension/timeline/messages';

test('the page loads one script, from the extension, carrying the nonce; no inline handlers, nothing remote', () => {
  const nonce = makeNonce();
  const source = 'https://file+.vscode-resource.vscode-cdn.net';
  const script = `${source}/ext/dist/timeline.js`;
  const html = timelineHtml(source, nonce, script);
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
  assert.equal(csp, contentSecurityPolicy(source, nonce));
  assert.match(csp!, /default-src 'none'/);
  assert.match(csp!, /script-src 'nonce-[^']+'(;|$)/, 'scripts only by nonce (not by origin)');
  assert.doesNotMatch(csp!, /unsafe-inline|unsafe-eval|\*/);
  const scripts = html.match(/<script[^>]*>/g) ?? [];
  assert.deepEqual(scripts, [`<script nonce="${nonce}" src="${script}">`]);
  assert.match(html, new RegExp(`<style nonce="${nonce.replace(/[+/=]/g, '\\$&')}">`));
  assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline event handlers');
  assert.doesNotMatch(html, /\sstyle="/, 'no inline style attributes (blocked by the policy)');
  assert.doesNotMatch(html.split(script).join('').split(source).join(''), /https?:/, 'nothing but the webview resource origin');
});

test('every colour of the style sheet is a VS Code theme variable (readable in light, dark and high contrast)', () => {
  const decls = [...TIMELINE_CSS.matchAll(/(?:^|[;{\s])(color|background|fill|stroke|border(?:-left)?|outline)\s*:\s*([^;}]+)/g)];
  assert.ok(decls.length > 20);
  for (const [, prop, value] of decls) {
    if (/^(none|transparent|inherit)$/.test(value.trim()) || /^\d+px solid transparent$/.test(value.trim())) continue;
    assert.match(value, /var\(--vscode-/, `${prop}: ${value}`);
  }
});

test('messages from the page are checked before use', () => {
  assert.equal(isFromWebview({ type: 'ready' }), true);
  assert.equal(isFromWebview({ type: 'gotoStep', step: 12 }), true);
  assert.equal(isFromWebview({ type: 'details', step: 0 }), true);
  for (const bad of [null, 'ready', { type: 'gotoStep' }, { type: 'gotoStep', step: -1 }, { type: 'gotoStep', step: 1.5 }, { type: 'gotoStep', step: '3' }, { type: 'eval', step: 1 }]) {
    assert.equal(isFromWebview(bad), false, JSON.stringify(bad));
  }
});
