// The extension's manifest, grammar and snippets agree with the names and the
// vocabulary the rest of camsim uses (core/protocol, core/scenario). The grammar
// is run by VS Code's own TextMate tokenizer.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { Commands, DEBUG_TYPE, LANGUAGE_ID, Settings, TASK_TYPE } from '../../core/protocol';
import { analyze, DRIVERS, ERRNO, flagConstantNames, KEYWORDS, VARIANTS } from '../../core/scenario';
import * as vsctm from 'vscode-textmate';
import { camsimGrammar } from './textmate';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const read = (file: string): any => JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8')); // eslint-disable-line @typescript-eslint/no-explicit-any
const pkg = read('package.json');
const grammar = read('syntaxes/camsim.tmLanguage.json');
const snippets = read('snippets/camsim.json');

test('the manifest contributes exactly the commands of core/protocol, in the camsim category', () => {
  const contributed = pkg.contributes.commands as { command: string; category: string }[];
  assert.deepEqual(contributed.map((c) => c.command).sort(), Object.values(Commands).sort());
  for (const c of contributed) assert.equal(c.category, 'camsim', c.command);
  const menus = Object.values(pkg.contributes.menus).flat() as { command: string }[];
  for (const m of menus) assert.ok(Object.values(Commands).includes(m.command as never), `menu names unknown command ${m.command}`);
});

test('the manifest declares exactly the settings of core/protocol', () => {
  assert.deepEqual(Object.keys(pkg.contributes.configuration.properties).sort(), Object.values(Settings).sort());
  const props = pkg.contributes.configuration.properties;
  assert.deepEqual(props[Settings.adapterMode].enum, ['inline', 'external']);
  assert.deepEqual(props[Settings.serverTrace].enum, ['off', 'messages', 'verbose']);
});

test('the debugger, language and activation use the shared names', () => {
  const [debuggerContribution] = pkg.contributes.debuggers;
  assert.equal(debuggerContribution.type, DEBUG_TYPE);
  // the scope the manifest names is the grammar's own (test/unit/textmate.ts loads it under that name)
  assert.deepEqual([pkg.contributes.grammars[0].scopeName, grammar.scopeName], ['source.camsim', 'source.camsim']);
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
  assert.deepEqual(pkg.activationEvents.sort(), [
    `onDebugDynamicConfigurations:${DEBUG_TYPE}`,
    `onDebugResolve:${DEBUG_TYPE}`,
    `onLanguage:${LANGUAGE_ID}`,
    `onTaskType:${TASK_TYPE}`,
    // the Testing view lists a workspace's scenarios before one is opened
    'workspaceContains:**/*.camsim',
  ]);
  assert.equal(pkg.main, './dist/extension.js');
  assert.equal(pkg.engines.vscode, '^1.91.0');
});


/** Where `word` first stands alone in `line` (not inside a longer word). */
function wordAt(line: string, word: string): number {
  const m = new RegExp(`(?<![\\w-])${word.replace(/[-*]/g, '\\$&')}(?![\\w-])`).exec(line);
  return m ? m.index : -1;
}

/** The innermost scope of the token that is exactly `word` (its first on the line), or why there is none. */
async function scopeOf(line: string, word: string): Promise<string> {
  const g = await camsimGrammar();
  const at = wordAt(line, word);
  assert.ok(at >= 0, `'${word}' is not in '${line}'`);
  const { tokens } = g.tokenizeLine(line, vsctm.INITIAL);
  const token = tokens.find((t) => t.startIndex === at && t.endIndex === at + word.length);
  if (!token) return `no token is exactly '${word}' (tokens: ${tokens.map((t) => `'${line.slice(t.startIndex, t.endIndex)}'`).join(' ')})`;
  assert.equal(token.scopes[0], 'source.camsim');
  return token.scopes[token.scopes.length - 1];
}

/** Each keyword in a line where it is used, with the scope it must get there. */
const KEYWORD_SCOPES: Record<string, [line: string, scope: string]> = {
  scenario: ['scenario "a race"', 'keyword.other.declaration.camsim'],
  kernel: ['kernel invariants', 'keyword.other.declaration.camsim'],
  device: ['device pass0: pass before-fix', 'storage.type.device.camsim'],
  process: ['process A {', 'storage.type.process.camsim'],
  schedule: ['schedule A*2 B', 'keyword.other.declaration.camsim'],
  expect: ['expect pass0.refcount == 1', 'keyword.other.expect.camsim'],
  open: ['  open pass0 as f', 'keyword.control.syscall.camsim'],
  close: ['  close f', 'keyword.control.syscall.camsim'],
  ioctl: ['  ioctl f', 'keyword.control.syscall.camsim'],
  lose: ['  lose pass0', 'keyword.control.syscall.camsim'],
  repeat: ['  repeat 2 {', 'keyword.control.loop.camsim'],
  as: ['  open pass0 as f', 'keyword.other.as.camsim'],
  with: ['device ch0: ch before-fix with io-error', 'keyword.other.with.camsim'],
  no: ['expect no panic', 'keyword.operator.logical.no.camsim'],
  panic: ['expect no panic', 'constant.language.outcome.camsim'],
  deadlock: ['expect no deadlock', 'constant.language.outcome.camsim'],
  'use-after-free': ['expect no use-after-free', 'constant.language.outcome.camsim'],
  leak: ['expect no leak', 'constant.language.outcome.camsim'],
  true: ['expect A.done == true', 'constant.language.camsim'],
  false: ['expect A.blocked == false', 'constant.language.camsim'],
};

test('the grammar gives every keyword its scope, and a made-up word in its place none of them', async () => {
  assert.deepEqual(Object.keys(KEYWORD_SCOPES).sort(), [...KEYWORDS].sort(), 'a line for each keyword');
  const keywordScopes = new Set(Object.values(KEYWORD_SCOPES).map(([, scope]) => scope));
  for (const [word, [line, scope]] of Object.entries(KEYWORD_SCOPES)) {
    assert.equal(await scopeOf(line, word), scope, `${word} in '${line}'`);
    const at = wordAt(line, word);
    const other = `${line.slice(0, at)}frobnicate${line.slice(at + word.length)}`;
    const got = await scopeOf(other, 'frobnicate');
    assert.ok(!keywordScopes.has(got), `'frobnicate' in '${other}' is ${got}`);
  }
});

test('the grammar gives every driver, variant, errno and flag constant its scope, and near misses none of them', async () => {
  for (const driver of DRIVERS) {
    assert.equal(await scopeOf(`device x0: ${driver} after-fix`, driver), 'support.type.driver.camsim', driver);
    assert.equal(await scopeOf(`device x0: ${driver}x after-fix`, `${driver}x`), 'invalid.illegal.unknown-driver.camsim', `${driver}x`);
    assert.equal(await scopeOf(`device x0: ${driver}-2 after-fix`, `${driver}-2`), 'invalid.illegal.unknown-driver.camsim', `${driver}-2`);
  }
  assert.equal(await scopeOf('device x0: frobnicate', 'frobnicate'), 'invalid.illegal.unknown-driver.camsim');
  for (const variant of VARIANTS) {
    assert.equal(await scopeOf(`device x0: pass ${variant}`, variant), 'constant.language.variant.camsim', variant);
    assert.notEqual(await scopeOf(`device x0: pass ${variant}s`, `${variant}s`), 'constant.language.variant.camsim', `${variant}s`);
  }
  assert.equal(await scopeOf('device ch0: ch before-fix with io-error', 'io-error'), 'constant.language.option.camsim');
  for (const name of Object.keys(ERRNO)) {
    assert.equal(await scopeOf(`expect A.f.errno == ${name}`, name), 'constant.language.errno.camsim', name);
    assert.equal(await scopeOf(`expect A.f.errno == ${name}X`, `${name}X`), 'variable.other.camsim', `${name}X`);
  }
  assert.equal(await scopeOf('expect A.f.errno == EFROB', 'EFROB'), 'variable.other.camsim');
  const flags = flagConstantNames();
  assert.ok(flags.includes('SG_FLAG_INVALID') && flags.includes('CAM_PERIPH_INVALID') && flags.includes('D_TRACKCLOSE'));
  for (const name of flags) {
    assert.equal(await scopeOf(`expect (x0.flags & ${name}) != 0`, name), 'constant.other.flag.camsim', name);
    assert.equal(await scopeOf(`expect (x0.flags & ${name}_X) != 0`, `${name}_X`), 'variable.other.camsim', `${name}_X`);
  }
  for (const made of ['SG_FLAG_FROB', 'CAM_PERIPH_FROB', 'D_FROB', 'PT_FLAG_NONE', 'XX_FLAG_OPEN']) {
    assert.equal(await scopeOf(`expect (x0.flags & ${made}) != 0`, made), 'variable.other.camsim', made);
  }
  // names in expressions: a device, a field
  assert.equal(await scopeOf('expect pass0.refcount == 1', 'pass0'), 'variable.other.camsim');
  assert.equal(await scopeOf('expect pass0.refcount == 1', 'refcount'), 'variable.other.property.camsim');
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

test('the grammar and the snippets list exactly the drivers and variants of the catalogue, in its order', () => {
  const driverAlternation = `(${DRIVERS.join('|')})`;
  const choice = (names: readonly string[]) => `|${names.join(',')}|}`;
  const grammarText = JSON.stringify(grammar);
  const alternations = [...grammarText.matchAll(/\(\?:\(([a-z|]+)\)\(\?!/g)].map((m) => `(${m[1]})`);
  assert.deepEqual(alternations, [driverAlternation], 'the grammar\'s driver alternation');
  const snippetText = Object.values(snippets as Record<string, { body: string[] }>).flatMap((s) => s.body).join('\n');
  const driverChoices = [...snippetText.matchAll(/\$\{\d+(\|[a-z,]+\|\})/g)].map((m) => m[1]).filter((c) => !c.includes('-fix'));
  const variantChoices = [...snippetText.matchAll(/\$\{\d+(\|[a-z,-]+\|\})/g)].map((m) => m[1]).filter((c) => c.includes('-fix'));
  assert.equal(driverChoices.length, 2, 'the Device and Race scenario snippets choose a driver');
  for (const c of driverChoices) assert.equal(c, choice(DRIVERS));
  assert.equal(variantChoices.length, 2);
  for (const c of variantChoices) assert.equal(c, choice(VARIANTS));
});
