// Generators of hostile input for the fuzz suites of the command and the
// language server: the samples with a few mutations (spans deleted, lines
// doubled, fragments and huge numbers inserted), scenarios of nested repeats
// (empty bodies, counts up to a million, descriptors closed twice), and bytes
// that are no text at all.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';

const SAMPLES_DIR = join(__dirname, '..', '..', '..', 'samples');

export const SAMPLE_TEXTS: readonly string[] = readdirSync(SAMPLES_DIR)
  .filter((f) => f.endsWith('.camsim'))
  .sort()
  .map((f) => readFileSync(join(SAMPLES_DIR, f), 'utf8'));

/** Pieces that make a scenario interesting to break: its keywords, its braces, numbers at and beyond its bounds. */
const FRAGMENTS = [
  'repeat 1000000 {', 'repeat 0 {', 'repeat 2 {', '{', '}', '}\n', '\n', 'open pass0 as f', 'close f', 'ioctl f', 'lose pass0',
  'process Z {', 'device pass0: pass before-fix', 'device ch0: ch after-fix with io-error', 'kernel invariants', 'schedule A*1000000 B',
  'schedule A*0', 'expect panic', 'expect no leak', 'expect pass0.refcount == 1', 'expect A.f.errno == EBUSY', '99999999999999999999', '0x7fffffff',
  '-1', '"', '#', '\t', '\r\n', '\u0000', '\ufeff', 'é', '😀', 'taskq', 'none', '*', '==', '(', ')',
];

export type Mutation =
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'double-line'; line: number }
  | { kind: 'swap-lines'; a: number; b: number }
  | { kind: 'bigger-number'; which: number; value: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 4 })) }),
  fc.record({ kind: fc.constant('double-line' as const), line: fc.nat() }),
  fc.record({ kind: fc.constant('swap-lines' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ kind: fc.constant('bigger-number' as const), which: fc.nat(), value: fc.constantFrom('0', '1000000', '1000001', '4294967297', '1e9') }),
);

function mutate(text: string, m: Mutation): string {
  const lines = text.split('\n');
  switch (m.kind) {
    case 'delete': {
      const at = m.at % (text.length + 1);
      return text.slice(0, at) + text.slice(at + m.length);
    }
    case 'insert': {
      const at = m.at % (text.length + 1);
      return text.slice(0, at) + m.text + text.slice(at);
    }
    case 'double-line': {
      const i = m.line % lines.length;
      lines.splice(i, 0, lines[i]);
      return lines.join('\n');
    }
    case 'swap-lines': {
      const a = m.a % lines.length;
      const b = m.b % lines.length;
      [lines[a], lines[b]] = [lines[b], lines[a]];
      return lines.join('\n');
    }
    case 'bigger-number': {
      let k = 0;
      const count = (text.match(/\b\d+\b/g) ?? []).length;
      if (count === 0) return text;
      const which = m.which % count;
      return text.replace(/\b\d+\b/g, (d) => (k++ === which ? m.value : d));
    }
  }
}

/** A sample with one to four mutations. */
export const mutatedSample: fc.Arbitrary<string> = fc
  .record({ sample: fc.nat({ max: SAMPLE_TEXTS.length - 1 }), mutations: fc.array(mutation, { minLength: 1, maxLength: 4 }) })
  .map(({ sample, mutations }) => mutations.reduce(mutate, SAMPLE_TEXTS[sample]));

type Body = Stmt[];
type Stmt = { repeat: number; body: Body } | string;

const stmt: fc.Memo<Stmt> = fc.memo((depth) =>
  depth <= 1
    ? fc.constantFrom('open pass0 as f', 'close f', 'ioctl f', 'open ch0 as g', 'close g')
    : fc.oneof(
        { weight: 2, arbitrary: fc.constantFrom('open pass0 as f', 'close f', 'ioctl f', 'open ch0 as g', 'close g') },
        { weight: 1, arbitrary: fc.record({ repeat: fc.constantFrom(1, 2, 3, 1000, 1000000), body: fc.array(stmt(depth - 1), { maxLength: 3 }) }) },
      ),
);

function render(body: Body, indent: string): string {
  return body.map((s) => (typeof s === 'string' ? `${indent}${s}\n` : `${indent}repeat ${s.repeat} {\n${render(s.body, indent + '  ')}${indent}}\n`)).join('');
}

/** One to three processes whose bodies nest repeats four deep, some empty, some a million long. */
export const nestedRepeats: fc.Arbitrary<string> = fc
  .record({
    processes: fc.array(fc.array(stmt(4), { maxLength: 4 }), { minLength: 1, maxLength: 3 }),
    variant: fc.constantFrom('before-fix', 'after-fix'),
    expect: fc.constantFrom('', 'expect panic\n', 'expect no panic\n', 'expect no leak\n'),
  })
  .map(({ processes, variant, expect }) => {
    const procs = processes.map((body, i) => `process ${'ABC'[i]} {\n${render(body, '  ')}}\n`).join('');
    return `device pass0: pass ${variant}\ndevice ch0: ch after-fix\n${procs}${expect}`;
  });

/** Bytes that are mostly no text: random, or a sample with random bytes spliced in. */
export const garbageBytes: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ maxLength: 300 }),
  fc.record({ sample: fc.nat({ max: SAMPLE_TEXTS.length - 1 }), at: fc.nat(), junk: fc.uint8Array({ minLength: 1, maxLength: 16 }) }).map(({ sample, at, junk }) => {
    const b = Buffer.from(SAMPLE_TEXTS[sample], 'utf8');
    const i = at % (b.length + 1);
    return new Uint8Array(Buffer.concat([b.subarray(0, i), Buffer.from(junk), b.subarray(i)]));
  }),
);

/** Any of the three, as the bytes of a file. */
export const hostileFile: fc.Arbitrary<Uint8Array> = fc.oneof(
  mutatedSample.map((t) => new Uint8Array(Buffer.from(t, 'utf8'))),
  nestedRepeats.map((t) => new Uint8Array(Buffer.from(t, 'utf8'))),
  garbageBytes,
);

/** A stack trace or an internal failure in a command's or a server's output (never expected). */
export function brokenOutput(text: string): string | undefined {
  const m = /(^|\n)\s+at .*(\(.*:\d+:\d+\)|:\d+:\d+)|internal error|Error: .*\n\s+at |FATAL ERROR|Maximum call stack/i.exec(text);
  return m ? text.slice(Math.max(0, m.index - 200), m.index + 400) : undefined;
}
