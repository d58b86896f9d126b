// The extension's manifest, grammar and snippets agree with the names and the
// vocabulary the rest of camsim uses (core/protocol.ts, core/scenario).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { Commands, DEBUG_TYPE, LANGUAGE_ID, Settings } from '../../core/protocol';
import { analyze, DRIVERS, ERRNO, FLAG_CONSTANTS, KEYWORDS, VARIANTS } from '../../core/scenario';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const read = (file: string): any => JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8')); // eslint-disable-line @typescript-eslint/no-explicit-any
const pkg = read('package.json');
const grammar = read('syntaxes/camsim.tmLanguage.json');
const snippets = read('snippets/camsim.json');

test('the manifest contributes exactly the commands of core/protocol.ts, in the camsim category', () => {
  const contributed = pkg.contributes.commands as { command: string; category: string }[];
  assert.deepEqual(contributed.map((c) => c.command).sort(), Object.values(Commands).sort());
  for (const c of contributed) assert.equal(c.category, 'camsim', c.command);
  const menus = Object.values(pkg.contributes.menus).flat() as { command: string }[];
  for (const m of menus) assert.ok(Object.values(Commands).includes(m.command as never), `menu names unknown command ${m.command}`);
});

test('the manifest declares exactly the settings of core/protocol.ts', () => {
  assert.deepEqual(Object.keys(pkg.contributes.configuration.properties).sort(), Object.values(Settings).sort());
  const props = pkg.contributes.configuration.properties;
  assert.deepEqual(props[Settings.adapterMode].enum, ['inline', 'external']);
  assert.deepEqual(props[Settings.serverTrace].enum, ['off', 'messages', 'verbose']);
});

test('the debugger, language and activation use the shared names', () => {
  const [debuggerContribution] = pkg.contributes.debuggers;
  assert.equal(debuggerContribution.type, DEBUG_TYPE);
  assert.deepEqual(debuggerContribution.languages, [LANGUAGE_ID]);
  assert.deepEqual(Object.keys(debuggerContribution.configurationAttributes.launch.properties).sort(), [
    'maxSteps',
    'program',
    'schedule',
    'stopOnEntry',
    'trace',
  ]);
  assert.equal(pkg.contributes.languages[0].id, LANGUAGE_ID);
  assert.deepEqual(pkg.contributes.breakpoints.map((b: { language: string }) => b.language).sort(), ['c', LANGUAGE_ID]);
  assert.deepEqual(pkg.activationEvents.sort(), [`onDebugDynamicConfigurations:${DEBUG_TYPE}`, `onDebugResolve:${DEBUG_TYPE}`, `onLanguage:${LANGUAGE_ID}`]);
  assert.equal(pkg.main, './dist/extension.js');
  assert.equal(pkg.engines.vscode, '^1.91.0');
});

/** Every `match` regex of the grammar (TextMate's Oniguruma syntax used here is also valid JS). */
function grammarRegexes(node: unknown, out: RegExp[] = []): RegExp[] {
  if (Array.isArray(node)) node.forEach((n) => grammarRegexes(n, out));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if ((key === 'match' || key === 'begin') && typeof value === 'string') out.push(new RegExp(value));
      else grammarRegexes(value, out);
    }
  }
  return out;
}

/** Whether some grammar rule matches `word` (as the whole match or a capture) in `line`. */
function highlights(line: string, word: string): boolean {
  return grammarRegexes(grammar).some((re) => {
    const m = new RegExp(re.source, 'g');
    for (let r = m.exec(line); r; r = m.exec(line)) {
      if (r.slice(0).includes(word)) return true;
      if (r[0].length === 0) m.lastIndex++;
    }
    return false;
  });
}

test('the grammar highlights every keyword, driver, variant, errno and flag constant', () => {
  const expectWords = new Set(['no', 'panic', 'deadlock', 'use-after-free', 'leak']);
  for (const word of KEYWORDS) assert.ok(highlights(expectWords.has(word) ? `expect no ${word}` : word, word), `keyword ${word}`);
  for (const driver of DRIVERS) assert.ok(highlights(`device x0: ${driver} after-fix`, driver), `driver ${driver}`);
  for (const variant of VARIANTS) assert.ok(highlights(`device x0: pass ${variant}`, variant), `variant ${variant}`);
  for (const name of Object.keys(ERRNO)) assert.ok(highlights(`expect A.f.errno == ${name}`, name), `errno ${name}`);
  for (const name of Object.keys(FLAG_CONSTANTS)) assert.ok(highlights(`expect pass0.flags & ${name}`, name), `flag ${name}`);
});

/** A snippet body with every placeholder replaced by its default (or first choice). */
function expandSnippet(body: string[]): string {
  const defaults = new Map<string, string>();
  let text = body.join('\n').replace(/\t/g, '  ');
  text = text.replace(/\$\{(\d+)\|([^,|]*)[^|]*\|\}/g, (_m, n: string, first: string) => (defaults.set(n, first), first));
  text = text.replace(/\$\{(\d+):([^}]*)\}/g, (_m, n: string, value: string) => (defaults.set(n, value), value));
  return text.replace(/\$(\d+)/g, (_m, n: string) => defaults.get(n) ?? '');
}

test('the snippets expand to valid scenarios', () => {
  const race = expandSnippet(snippets['Race scenario'].body);
  assert.deepEqual(analyze(race).diagnostics.filter((d) => d.severity === 'error'), []);
  const composed = [snippets.Device, snippets.Process, snippets['Device loss'], snippets.Expectation]
    .map((s: { body: string[] }) => expandSnippet(s.body))
    .join('\n');
  assert.deepEqual(analyze(composed).diagnostics.filter((d) => d.severity === 'error'), []);
});
