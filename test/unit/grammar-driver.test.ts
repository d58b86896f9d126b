// The TextMate grammar inside a `driver` block (run by VS Code's own tokenizer):
// C words, kernel calls, fields, constants and comments get their scopes, the
// block ends at its closing brace, and the kernel calls it knows are exactly
// those of core/kernel/kernelCalls.ts. The `driver` snippet expands to a valid driver.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import * as vsctm from 'vscode-textmate';
import { camsimGrammar } from './textmate';
import { analyze } from '../../core/scenario';
import { KERNEL_CALLS } from '../../core/kernel/kernelCalls';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const read = (file: string): any => JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8')); // eslint-disable-line @typescript-eslint/no-explicit-any
const grammar = read('syntaxes/camsim.tmLanguage.json');
const snippets = read('snippets/camsim.json');


const TEXT = [
  'driver mypass {', // 0
  '  d_flags = D_TRACKCLOSE;  /* cdevsw */', // 1
  '  d_open {', // 2
  '    int error;', // 3
  '    if (cam_periph_acquire(periph) != CAM_REQ_CMP)', // 4
  '      return (ENXIO);', // 5
  '    softc->flags |= MYPASS_FLAG_OPEN;  // set', // 6
  '    while (1) goto bad;', // 7
  '  }', // 8
  '}', // 9
  'device p0: pass', // 10
];

/** The innermost scope of each line's tokens, by the token's text. */
async function scopes(): Promise<Map<string, string>[]> {
  const g = await camsimGrammar();
  let stack = vsctm.INITIAL;
  const out: Map<string, string>[] = [];
  for (const line of TEXT) {
    const r = g.tokenizeLine(line, stack);
    stack = r.ruleStack;
    out.push(new Map(r.tokens.map((t) => [line.slice(t.startIndex, t.endIndex).trim(), t.scopes[t.scopes.length - 1]])));
  }
  return out;
}

test('inside a driver block, C gets C scopes; after its closing brace the scenario grammar resumes', async () => {
  const s = await scopes();
  assert.equal(s[0].get('driver'), 'storage.type.driver.camsim');
  assert.equal(s[0].get('mypass'), 'entity.name.type.driver.camsim');
  assert.equal(s[1].get('d_flags'), 'keyword.other.driver-item.c.camsim');
  assert.equal(s[1].get('D_TRACKCLOSE'), 'constant.language.c.camsim');
  assert.equal(s[1].get('/*'), 'comment.block.c.camsim');
  assert.equal(s[1].get('cdevsw'), 'comment.block.c.camsim');
  assert.equal(s[2].get('d_open'), 'entity.name.function.routine.c.camsim');
  assert.equal(s[3].get('int'), 'storage.type.int.c.camsim');
  assert.equal(s[4].get('if'), 'keyword.control.c.camsim');
  assert.equal(s[4].get('cam_periph_acquire'), 'support.function.kernel.c.camsim');
  assert.equal(s[4].get('periph'), 'variable.language.c.camsim');
  assert.equal(s[5].get('ENXIO'), 'constant.language.c.camsim');
  assert.equal(s[6].get('flags'), 'variable.other.member.c.camsim');
  assert.equal(s[6].get('MYPASS_FLAG_OPEN'), 'constant.other.flag.c.camsim');
  assert.equal(s[6].get('// set'), 'comment.line.double-slash.c.camsim');
  assert.equal(s[7].get('while'), 'invalid.illegal.unsupported.c.camsim');
  assert.equal(s[9].get('}'), 'punctuation.section.block.end.camsim');
  assert.equal(s[10].get('device'), 'storage.type.device.camsim', 'the scenario grammar again');
  assert.equal(s[10].get('pass'), 'support.type.driver.camsim');
});

test("the grammar's kernel calls are exactly those of the kernel calls table", () => {
  const text = JSON.stringify(grammar.repository['c-body']);
  const m = /\\\\b\(([a-z_|]+)\)\\\\b\(\?=/.exec(text);
  assert.ok(m, 'the kernel call alternation');
  assert.deepEqual(m[1].split('|').sort(), KERNEL_CALLS.map((k) => k.name).sort());
});

test('the driver snippet expands to a driver that checks clean', () => {
  const body = (snippets['Driver in C'].body as string[]).join('\n').replace(/\t/g, '  ');
  const text = body
    .replace(/\$\{(\d+)\|([^,|]*)[^|]*\|\}/g, (_m, _n: string, first: string) => first)
    .replace(/\$\{3:([^}]*)\}/g, '$1')
    .replace(/\$\{\d+:([^}]*)\}/g, '$1')
    .replace(/\$3/g, 'MYPASS_FLAG_OPEN')
    .replace(/\$0/g, '');
  assert.deepEqual(analyze(`${text}\ndevice p0: mypass\n`).diagnostics, []);
});
