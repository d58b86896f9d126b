// Breakpoint conditions, hit conditions and logpoint messages, in the scenario's
// expression language (core/engine/expr/evaluate.ts): never JavaScript.

import type { Expr, Scenario } from '../../core/scenario/ast';
import { parseExpression } from '../../core/scenario/parser';
import { checkExpression } from '../../core/scenario/checker';
import { evaluate, isTruthy } from '../../core/engine/expr/evaluate';
import type { Machine } from '../../core/kernel/state';
import { showValue } from './format';

export type Compiled = { ok: true; expr: Expr; text: string } | { ok: false; message: string };

/**
 * Parses and checks an expression typed into a breakpoint. Names are checked in
 * the context of each process (a bare descriptor name `f` is valid when some
 * process has one), since the condition runs in whichever process steps there.
 */
export function compileExpression(text: string, scenario: Scenario, processes: readonly string[], condition: boolean): Compiled {
  const parsed = parseExpression(text);
  const syntax = parsed.diagnostics.find((d) => d.severity === 'error');
  if (syntax || !parsed.expr) return { ok: false, message: `${text}: ${syntax?.message ?? 'empty expression'}` };
  let first: string | undefined;
  for (const process of [undefined, ...processes]) {
    const errors = checkExpression(parsed.expr, scenario, { process, condition }).filter((d) => d.severity === 'error');
    if (errors.length === 0) return { ok: true, expr: parsed.expr, text };
    first ??= errors[0].message;
  }
  return { ok: false, message: `${text}: ${first}` };
}

export type CondResult = { ok: true; value: boolean } | { ok: false; message: string };

export function evalCondition(c: Expr, m: Machine, scenario: Scenario, process: string): CondResult {
  const r = evaluate(c, m, scenario, { process });
  return r.ok ? { ok: true, value: isTruthy(r.value) } : { ok: false, message: r.message };
}

// ---- hit conditions: `5` (from the 5th hit on), `>= 5`, `> 5`, `== 5`, `< 5`, `<= 5`, `% 5` ----

export interface HitCondition {
  op: '>=' | '>' | '==' | '<' | '<=' | '%';
  n: number;
  text: string;
}

export function parseHitCondition(text: string): HitCondition | { error: string } {
  const m = /^\s*(>=|<=|==|>|<|%|=)?\s*(\d+)\s*$/.exec(text);
  if (!m) return { error: `hit condition '${text}' is not understood: write a count such as 5, >= 5, == 5 or % 5 (every 5th hit)` };
  const n = Number(m[2]);
  const op = (m[1] === '=' ? '==' : m[1] ?? '>=') as HitCondition['op'];
  if (op === '%' && n === 0) return { error: `hit condition '${text}': % needs a count above 0` };
  return { op, n, text };
}

/** Whether the `hits`-th hit (1-based) passes. */
export function hitPasses(h: HitCondition, hits: number): boolean {
  switch (h.op) {
    case '>=': return hits >= h.n;
    case '>': return hits > h.n;
    case '==': return hits === h.n;
    case '<': return hits < h.n;
    case '<=': return hits <= h.n;
    case '%': return hits % h.n === 0;
  }
}

// ---- logpoint messages: `refcount is {pass0.refcount}`; `{{` and `}}` are literal braces ----

export type LogPart = { text: string } | { expr: Expr; source: string };

export function parseLogMessage(message: string, scenario: Scenario, processes: readonly string[]): { parts: LogPart[] } | { error: string } {
  const parts: LogPart[] = [];
  let lit = '';
  for (let i = 0; i < message.length; i++) {
    const ch = message[i];
    if ((ch === '{' || ch === '}') && message[i + 1] === ch) {
      lit += ch;
      i++;
      continue;
    }
    if (ch === '}') return { error: `logpoint message: unmatched '}' at column ${i + 1} (write }} for a brace)` };
    if (ch !== '{') {
      lit += ch;
      continue;
    }
    const end = message.indexOf('}', i + 1);
    if (end < 0) return { error: `logpoint message: '{' at column ${i + 1} is not closed (write {{ for a brace)` };
    const source = message.slice(i + 1, end);
    const c = compileExpression(source, scenario, processes, false);
    if (!c.ok) return { error: `logpoint message: {${c.message}}` };
    if (lit) parts.push({ text: lit });
    lit = '';
    parts.push({ expr: c.expr, source });
    i = end;
  }
  if (lit) parts.push({ text: lit });
  return { parts };
}

export function renderLogMessage(parts: readonly LogPart[], m: Machine, scenario: Scenario, process: string): string {
  return parts
    .map((p) => {
      if ('text' in p) return p.text;
      const r = evaluate(p.expr, m, scenario, { process });
      return r.ok ? showValue(r.value) : `<${p.source}: ${r.message}>`;
    })
    .join('');
}
