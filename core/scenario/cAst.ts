// The syntax tree of a driver written in C inside a `.camsim` file
// (`driver NAME { d_flags = ...; softc_flags ...; resting = ...; d_open { C } ... }`).
// The parser fills it, the checker and the language server read it, and
// core/engine/driver compiles it into the same step lists as the built-in
// drivers. Every node carries its range in the `.camsim` document.

import type { Ident, Range } from './ast';

export type CBinaryOp =
  | '|' | '&' | '^' | '<<' | '>>'
  | '==' | '!=' | '<' | '<=' | '>' | '>='
  | '&&' | '||' | '+' | '-';

export type CUnaryOp = '!' | '~' | '-' | '&';

export type CExpr =
  /** An integer literal (decimal or 0x hex). */
  | { kind: 'num'; value: number; range: Range }
  /** A name: a local, a flag the driver declares, an errno or CAM constant, `periph`, `softc`, `Giant`. */
  | { kind: 'name'; name: string; range: Range }
  /** `softc->flags`, `softc->open_count`, `periph->flags`, `periph->refcount`. */
  | { kind: 'field'; object: Ident; field: Ident; range: Range }
  | { kind: 'unary'; op: CUnaryOp; operand: CExpr; range: Range }
  | { kind: 'binary'; op: CBinaryOp; left: CExpr; right: CExpr; range: Range }
  /** A kernel call, e.g. `cam_periph_acquire(periph)`. */
  | { kind: 'call'; callee: Ident; args: CExpr[]; range: Range };

export type CAssignOp = '=' | '|=' | '&=' | '+=' | '-=';

export type CStmt =
  /** `int error;` or `int error = EXPR;` */
  | { kind: 'decl'; name: Ident; init?: CExpr; range: Range }
  /** `TARGET OP EXPR;` where TARGET is a name or a field. */
  | { kind: 'assign'; target: CExpr; op: CAssignOp; value: CExpr; range: Range }
  /** `TARGET++;` / `TARGET--;` */
  | { kind: 'incdec'; target: CExpr; op: '++' | '--'; range: Range }
  /** A call as a statement: `cam_periph_lock(periph);` */
  | { kind: 'expr'; expr: CExpr; range: Range }
  /** `if (COND) STMT [else STMT]`; a braced block is a list. `range` covers `if (COND)`. */
  | { kind: 'if'; cond: CExpr; then: CStmt[]; else?: CStmt[]; range: Range; elseRange?: Range }
  /** `return;` or `return (EXPR);` */
  | { kind: 'return'; value?: CExpr; range: Range }
  /** `goto LABEL;` */
  | { kind: 'goto'; label: Ident; range: Range }
  /** `LABEL:` (the statement after it follows in the list). */
  | { kind: 'label'; label: Ident; range: Range };

/** The routines a user driver may give. */
export type RoutineKind = 'd_open' | 'd_close' | 'oninvalidate' | 'devgonecb';
export const ROUTINE_KINDS: readonly RoutineKind[] = ['d_open', 'd_close', 'oninvalidate', 'devgonecb'];

export interface CRoutine {
  kind: RoutineKind;
  /** The `d_open` keyword. */
  name: Ident;
  body: CStmt[];
  /** From the keyword to the closing brace (what the editor folds). */
  range: Range;
}

/** `softc_flags NAME = VALUE, ...;` one entry. */
export interface SoftcFlagDecl {
  name: Ident;
  value: number;
  range: Range;
}

/** `driver NAME { ... }` */
export interface DriverDecl {
  kind: 'driver';
  name: Ident;
  /** `d_flags = D_TRACKCLOSE | D_NEEDGIANT;` the names as written (`0` is no name). */
  dFlags: { names: Ident[]; range: Range } | undefined;
  softcFlags: SoftcFlagDecl[];
  /** `resting = 1;` the periph refcount at rest with no opens. */
  resting: { value: number; range: Range } | undefined;
  routines: CRoutine[];
  range: Range;
}
