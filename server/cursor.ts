// What is under or around a position of a scenario: the enclosing process, the
// statement or declaration on that line, an expression path and which part.

import type { DeviceDecl, ExpectDecl, Ident, Position, ProcessDecl, Scenario, Stmt } from '../core/scenario';
import { visitPaths } from '../core/scenario';
import { comparePositions, touches } from './symbols';

/** The process whose block contains `pos` (between its header and its closing brace). */
export function enclosingProcess(s: Scenario, pos: Position): ProcessDecl | undefined {
  for (let i = s.items.length - 1; i >= 0; i--) {
    const item = s.items[i];
    if (comparePositions(item.range.start, pos) > 0) continue;
    if (item.kind !== 'process') return undefined;
    if (item.range.start.line === pos.line) return undefined; // on the header line
    if (item.closeRange) return comparePositions(pos, item.closeRange.start) <= 0 ? item : undefined;
    return item; // an unclosed block runs until the next declaration
  }
  return undefined;
}

/** The innermost statement whose range touches `pos`, and its process. */
export function statementAt(s: Scenario, pos: Position): { stmt: Stmt; process: ProcessDecl } | undefined {
  for (const p of s.processes) {
    if (pos.line < p.range.start.line || pos.line > p.range.end.line) continue;
    const found = findStmt(p.body, pos);
    if (found) return { stmt: found, process: p };
  }
  return undefined;
}

function findStmt(body: readonly Stmt[], pos: Position): Stmt | undefined {
  for (const st of body) {
    if (!touches(st.range, pos)) continue;
    if (st.kind === 'repeat') {
      const inner = findStmt(st.body, pos);
      // on the `repeat N {` line itself, the repeat
      if (inner) return inner;
    }
    return st;
  }
  return undefined;
}

export function deviceDeclAt(s: Scenario, pos: Position): DeviceDecl | undefined {
  return s.devices.find((d) => touches(d.range, pos));
}

/** An expression path under `pos`: its parts and the index of the part touched. */
export function pathPartAt(s: Scenario, pos: Position): { expect: ExpectDecl; parts: Ident[]; index: number } | undefined {
  for (const e of s.expectations) {
    if (!e.expr || !touches(e.range, pos)) continue;
    let hit: { expect: ExpectDecl; parts: Ident[]; index: number } | undefined;
    visitPaths(e.expr, (parts) => {
      const index = parts.findIndex((p) => touches(p.range, pos));
      if (index >= 0 && !hit) hit = { expect: e, parts, index };
    });
    if (hit) return hit;
  }
  return undefined;
}
