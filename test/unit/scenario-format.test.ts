// The formatter: one canonical layout, idempotent, and it never changes what a
// scenario means (the parsed tree without positions stays the same).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { formatScenario } from '../../core/scenario/format';
import { tokenize } from '../../core/scenario';
import { meaning } from './scenario-format-meaning';

const SAMPLES = resolve(__dirname, '../../../samples');
const samples = readdirSync(SAMPLES).filter((f) => f.endsWith('.camsim')).map((f) => readFileSync(join(SAMPLES, f), 'utf8'));

const SEEDS = [
  ...samples,
  'kernel invariants\ndevice ch0: ch before-fix with io-error\nprocess A {\n  repeat 3 {\n    open ch0 as f\n    ioctl f\n    close f\n  }\n}\nprocess L { }\nschedule A L*2 A\nexpect (devmtx.waiters + 0x10) & 3 >= -1 || !(ch0.sim_mtx.holder == none)\nexpect A.steps - L.steps > 0\n',
];

test('formatting a sample twice gives what formatting it once gives, with the same meaning', () => {
  for (const text of SEEDS) {
    const once = formatScenario(text);
    assert.ok(once !== undefined);
    assert.equal(formatScenario(once), once);
    assert.deepEqual(meaning(once), meaning(text));
  }
});

test('the layout is canonical', () => {
  assert.equal(
    formatScenario('  device   pass0 :  pass\n\n\nprocess   A{\n\n open pass0 as f   # mine\n\n}\nexpect A.f.errno==EBUSY&&-1<2\n\n'),
    'device pass0: pass\n\nprocess A {\n  open pass0 as f  # mine\n}\nexpect A.f.errno == EBUSY && -1 < 2\n',
  );
  assert.equal(formatScenario(''), '');
  assert.equal(formatScenario('\n\n  # only a comment  \n\n'), '# only a comment\n');
  assert.equal(formatScenario('process A {}\n'), 'process A {}\n');
});

test('a text with syntax errors is not formatted', () => {
  assert.equal(formatScenario('device pass0 pass\n'), undefined);
  assert.equal(formatScenario('process A {\n  open x as f\n'), undefined);
});

/**
 * A seed's tokens laid out again with random blanks, indentation, empty lines and line breaks.
 * Seeds with a `driver` block are left out: their C is not made of the scenario's tokens
 * (`/*`, `->` would be split), and its layout is the C formatter's.
 */
const relaid = fc.record({
  seed: fc.constantFrom(...SEEDS.filter((s) => !/^driver /m.test(s))),
  gaps: fc.array(fc.constantFrom(' ', '  ', '\t', ' \t ', '    '), { minLength: 1, maxLength: 64 }),
  blank: fc.array(fc.boolean(), { minLength: 1, maxLength: 64 }),
  crlf: fc.boolean(),
}).map(({ seed, gaps, blank, crlf }) => {
  const lines: string[] = [];
  let line = '';
  let k = 0;
  const gap = () => gaps[k++ % gaps.length];
  for (const t of tokenize(seed)) {
    if (t.kind === 'eof') break;
    if (t.kind === 'newline') {
      lines.push(line + (blank[k % blank.length] ? gap() : ''));
      if (blank[(k + 1) % blank.length]) lines.push(gap());
      line = '';
      k++;
      continue;
    }
    line += (line === '' ? (blank[k % blank.length] ? gap() : '') : gap()) + t.text;
  }
  lines.push(line);
  return lines.join(crlf ? '\r\n' : '\n');
});

test('property: any layout of a valid scenario formats idempotently, to the same meaning', () => {
  fc.assert(
    fc.property(relaid, (text) => {
      const once = formatScenario(text);
      assert.ok(once !== undefined, text);
      assert.equal(formatScenario(once), once);
      assert.deepEqual(meaning(once), meaning(text));
      // only whitespace changed
      assert.equal(once.replace(/\s+/g, ''), text.replace(/\s+/g, ''));
    }),
    { numRuns: 300 },
  );
});

test('property: whatever the text, the formatter does not throw, and what it formats keeps its meaning', () => {
  const alphabet = fc.constantFrom(...'device pass0: pass before-fix\nprocess A {\n open as f close }\nexpect ==(.)!-&|#"x 1'.split(''));
  fc.assert(
    fc.property(fc.array(alphabet, { maxLength: 200 }).map((a) => a.join('')), (text) => {
      const once = formatScenario(text);
      if (once === undefined) return;
      assert.equal(formatScenario(once), once);
      assert.deepEqual(meaning(once), meaning(text));
    }),
    { numRuns: 500 },
  );
});
