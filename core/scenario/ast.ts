// The syntax tree of a `.camsim` scenario. Every node carries its range so that
// the checker, the language server and the debugger can point at it.

/** Zero-based line and UTF-16 column, as in LSP. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface Ident {
  name: string;
  range: Range;
}

import type { DriverDecl } from './cAst';
import { DRIVERS as DRIVER_MODELS, type DriverName } from '../kernel/drivers/catalogue';

// Driver names and variants are the kernel's: read from its catalogue of driver models.
export type { DriverName } from '../kernel/drivers/catalogue';
export { VARIANTS, type Variant } from '../kernel/drivers/model';
export { driverNames } from '../kernel/drivers/catalogue';

/** The names of the built-in drivers (`driverNames()` gives the drivers in use). */
export const DRIVERS: readonly DriverName[] = DRIVER_MODELS.map((d) => d.name);

/** `device pass0: pass before-fix [with io-error]` */
export interface DeviceDecl {
  kind: 'device';
  name: Ident;
  driver: Ident; // may name an unknown driver: the checker reports it
  variant?: Ident; // absent means after-fix
  options: Ident[]; // words after `with`, e.g. io-error
  range: Range;
}

/** `open DEV as FD` */
export interface OpenStmt {
  kind: 'open';
  device: Ident;
  fd: Ident;
  range: Range;
}

/** `close FD` */
export interface CloseStmt {
  kind: 'close';
  fd: Ident;
  range: Range;
}

/** `ioctl FD`: a thread reference on the cdev while the driver runs. */
export interface IoctlStmt {
  kind: 'ioctl';
  fd: Ident;
  range: Range;
}

/** `lose DEV`: the SIM reports the device lost (AC_LOST_DEVICE). */
export interface LoseStmt {
  kind: 'lose';
  device: Ident;
  range: Range;
}

/** `repeat N { ... }` */
export interface RepeatStmt {
  kind: 'repeat';
  count: number;
  countRange: Range;
  body: Stmt[];
  range: Range;
}

export type Stmt = OpenStmt | CloseStmt | IoctlStmt | LoseStmt | RepeatStmt;

/** `process NAME { ... }` */
export interface ProcessDecl {
  kind: 'process';
  name: Ident;
  body: Stmt[];
  range: Range;
  /** Range of the closing brace (for folding); absent when the brace is missing. */
  closeRange?: Range;
}

/** One entry of a `schedule` line: `A` or `A*3`. */
export interface ScheduleEntry {
  process: Ident;
  times: number;
  range: Range;
  /** Range of the count after `*`, when there is one. */
  timesRange?: Range;
}

export interface ScheduleDecl {
  kind: 'schedule';
  entries: ScheduleEntry[];
  range: Range;
}

/** `kernel invariants`: kernel options. */
export interface KernelOption {
  kind: 'kernel';
  option: Ident;
  range: Range;
}

export type ExpectKind =
  | 'panic'
  | 'no panic'
  | 'deadlock'
  | 'no deadlock'
  | 'no use-after-free'
  | 'no leak'
  | 'expr';

export interface ExpectDecl {
  kind: 'expect';
  what: ExpectKind;
  expr?: Expr; // when what === 'expr'
  range: Range;
}

export interface ScenarioTitle {
  text: string;
  /** The whole `scenario "..."` line. */
  range: Range;
  /** The string literal, quotes included (absent when the title is missing). */
  textRange?: Range;
}

export interface Scenario {
  title?: ScenarioTitle;
  kernelOptions: KernelOption[];
  devices: DeviceDecl[];
  processes: ProcessDecl[];
  schedule?: ScheduleDecl;
  expectations: ExpectDecl[];
  /** `driver NAME { ... }` blocks: drivers written in C in the scenario itself. */
  drivers: DriverDecl[];
  /** Every top-level item in source order (for the outline and the formatter). */
  items: TopItem[];
  comments: Comment[];
}

export interface Comment {
  text: string; // including the leading '#'
  range: Range;
}

export type TopItem =
  | ({ kind: 'scenario' } & ScenarioTitle)
  | KernelOption
  | DeviceDecl
  | ProcessDecl
  | ScheduleDecl
  | ExpectDecl
  | DriverDecl;

// ---- expressions (shared by `expect EXPR`, the debugger's watch and evaluate) ----

export type BinaryOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | '&&' | '||' | '+' | '-' | '&' | '|';

export type Expr =
  | { kind: 'number'; value: number; range: Range }
  | { kind: 'bool'; value: boolean; range: Range }
  /** a dotted path: `pass0.refcount`, `A.f.errno`, `EBUSY`, `A` */
  | { kind: 'path'; parts: Ident[]; range: Range }
  | { kind: 'unary'; op: '!' | '-'; operand: Expr; range: Range }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr; range: Range };

export interface Diagnostic {
  range: Range;
  message: string;
  severity: 'error' | 'warning' | 'info';
  /** Stable code per kind of diagnostic, e.g. `syntax`, `unknown-driver`. */
  code: string;
  related?: { range: Range; message: string }[];
  /** Extra data for code actions (e.g. the device to switch to after-fix). */
  data?: Record<string, unknown>;
}
