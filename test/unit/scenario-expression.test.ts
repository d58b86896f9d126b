import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseExpression, parseScenario, type Expr } from '../../core/scenario';

/** Fully parenthesised form of an expression, to read precedence at a glance. */
function show(e: Expr): string {
  switch (e.kind) {
    case 'number':
      return String(e.value);
    case 'bool':
      return String(e.value);
    case 'path':
      return e.parts.map((p) => p.name).join('.');
    case 'unary':
      return `(${e.op}${show(e.operand)})`;
    case 'binary':
      return `(${show(e.left)} ${e.op} ${show(e.right)})`;
  }
}

function parsed(text: string): string {
  const r = parseExpression(text);
  assert.deepEqual(r.diagnostics, [], text);
  assert.ok(r.expr, text);
  return show(r.expr);
}

test('precedence: || < && < equality < relational < | < & < + - < unary', () => {
  assert.equal(parsed('a || b && c'), '(a || (b && c))');
  assert.equal(parsed('a && b || c'), '((a && b) || c)');
  assert.equal(parsed('a == b && c != d'), '((a == b) && (c != d))');
  assert.equal(parsed('a < b == c >= d'), '((a < b) == (c >= d))');
  assert.equal(parsed('a | b < c & d'), '((a | b) < (c & d))');
  assert.equal(parsed('a | b & c'), '(a | (b & c))');
  assert.equal(parsed('a & b + c'), '(a & (b + c))');
  assert.equal(parsed('a - b - c'), '((a - b) - c)');
  assert.equal(parsed('!a == b'), '((!a) == b)');
  assert.equal(parsed('- -1 + 2'), '((-(-1)) + 2)');
  assert.equal(parsed('!(a || b) && c'), '((!(a || b)) && c)');
  assert.equal(parsed('pass0.flags & CAM_PERIPH_INVALID != 0'), '((pass0.flags & CAM_PERIPH_INVALID) != 0)');
});

test('primaries: decimal, hex, booleans, dotted paths (keywords after a dot)', () => {
  assert.equal(parsed('0x80 == 128'), '(128 == 128)');
  assert.equal(parsed('true != false'), '(true != false)');
  assert.equal(parsed('A.f.open'), 'A.f.open');
  assert.equal(parsed('pass0.sim_mtx.holder == A'), '(pass0.sim_mtx.holder == A)');
  assert.equal(parsed('A.steps - B.steps'), '(A.steps - B.steps)');
  assert.equal(parsed('A.steps-1'), '(A.steps - 1)');
  assert.equal(parsed('  x\n  && y  # a comment'), '(x && y)');
});

test('ranges are relative to the expression text; parentheses widen the node', () => {
  const r = parseExpression('(a.b + 1) == 2');
  assert.ok(r.expr && r.expr.kind === 'binary');
  assert.deepEqual(r.expr.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 14 } });
  assert.deepEqual(r.expr.left.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 9 } });
  const sum = r.expr.left;
  assert.ok(sum.kind === 'binary' && sum.left.kind === 'path');
  assert.deepEqual(sum.left.parts[1].range, { start: { line: 0, character: 3 }, end: { line: 0, character: 4 } });
});

test('syntax errors: one message with a precise range, and no expression', () => {
  const cases: [string, string, [number, number]][] = [
    ['', 'empty expression: write a condition or a value such as pass0.refcount', [0, 0]],
    ['a ==', "expected a value after '=='", [4, 4]],
    ['(a', "expected ')' to close the '(', found the end of the expression", [2, 2]],
    ['a.', "expected a field name after '.', found the end of the expression", [2, 2]],
    ['a b', "unexpected 'b' after the expression: is an operator missing?", [2, 3]],
    ['a * 2', "'*' is not an operator of expressions (they have || && == != < <= > >= | & + - !)", [2, 3]],
    ['== 1', "expected a value (a number, true, false or a name such as pass0.refcount), found '=='", [0, 2]],
    ['open', "expected a value (a number, true, false or a name such as pass0.refcount), found the keyword 'open'", [0, 4]],
    ['a = 1', "'=' is not an operator: write '==' to compare", [2, 3]],
    ['a.3', "expected a field name after '.', found '3'", [2, 3]],
  ];
  for (const [text, message, [s, e]] of cases) {
    const r = parseExpression(text);
    assert.equal(r.expr, undefined, text);
    assert.deepEqual(
      r.diagnostics.map((d) => [d.message, d.range.start.character, d.range.end.character, d.code]),
      [[message, s, e, 'syntax']],
      text,
    );
  }
  const unclosed = parseExpression('(a == 1');
  assert.deepEqual(unclosed.diagnostics[0].related, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, message: "the unclosed '('" }]);
});

test('limits: a very long or deeply nested expression is an error, not a crash', () => {
  const long = parseExpression(Array.from({ length: 3000 }, () => 'a').join(' + '));
  assert.match(long.diagnostics[0]?.message ?? '', /expression too long/);
  const deep = parseExpression('('.repeat(10000) + 'a' + ')'.repeat(10000));
  assert.match(deep.diagnostics[0]?.message ?? '', /nests too deeply/);
  const bangs = parseExpression('!'.repeat(10000) + 'a');
  assert.match(bangs.diagnostics[0]?.message ?? '', /nests too deeply/);
});

test('expect EXPR stops at the end of its line', () => {
  const { scenario, diagnostics } = parseScenario('expect a == 1\n+ 2\n');
  assert.equal(show(scenario.expectations[0].expr as Expr), '(a == 1)');
  assert.deepEqual(
    diagnostics.map((d) => d.range.start),
    [{ line: 1, character: 0 }],
  );
  const bad = parseScenario('expect a ==\nexpect b c\n');
  assert.equal(bad.scenario.expectations[0].expr, undefined);
  assert.deepEqual(
    bad.diagnostics.map((d) => d.message),
    ["expected a value after '=='", "unexpected 'c' after the expression: is an operator missing?"],
  );
});
