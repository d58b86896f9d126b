// The error-recovering parser of a `driver NAME { ... }` block: the driver's
// settings (d_flags, softc_flags, resting) and its routines, written in a small
// subset of C (see docs/scenario-language.md).
//
// One error per statement: after the first error the parser skips to the end of
// the statement (a `;`, or a whole `{ ... }` block) and resumes, so that one
// mistake gives one diagnostic. Every construct outside the subset (loops,
// switch, pointers, casts, strings...) is reported by name with what is
// supported instead, never skipped silently.

import type { Diagnostic, Ident, Range } from '../ast';
import type { CAssignOp, CBinaryOp, CExpr, CRoutine, CStmt, DriverDecl, RoutineKind, SoftcFlagDecl } from '../cAst';
import { ROUTINE_KINDS } from '../cAst';
import { closestName } from '../suggest';
import { tokenizeC, type CComment, type CToken } from './lexer';
import type { DriverRegion } from './regions';

export interface DriverParseResult {
  driver: DriverDecl;
  diagnostics: Diagnostic[];
  comments: CComment[];
}

/** The words that may open an item of a driver block. */
export const DRIVER_ITEMS: readonly string[] = ['d_flags', 'softc_flags', 'resting', ...ROUTINE_KINDS];

/** What the C subset has, for messages about what it has not. */
export const C_SUBSET =
  'a routine has int locals, assignments (= |= &= += -=), ++ and --, if/else, goto and labels, return and kernel calls';

const MAX_NESTING = 32;
const MAX_EXPR_NESTING = 64;
const MAX_EXPR_OPERATORS = 1000;

/** Binary operators from the loosest to the tightest, as in C. */
const LEVELS: readonly (readonly CBinaryOp[])[] = [
  ['||'],
  ['&&'],
  ['|'],
  ['^'],
  ['&'],
  ['==', '!='],
  ['<', '<=', '>', '>='],
  ['<<', '>>'],
  ['+', '-'],
];
const ASSIGN_OPS: readonly CAssignOp[] = ['=', '|=', '&=', '+=', '-='];
const OTHER_ASSIGN_OPS = ['^=', '<<=', '>>=', '*=', '/=', '%='];

/** C statements and words outside the subset, with what to say about them. */
const UNSUPPORTED_STATEMENTS: ReadonlyMap<string, string> = new Map(Object.entries({
  while: "'while' loops are not supported",
  for: "'for' loops are not supported",
  do: "'do' loops are not supported",
  switch: "'switch' is not supported: use if/else",
  case: "'case' is not supported (there is no switch): use if/else",
  default: "'default' is not supported (there is no switch): use if/else",
  break: "'break' is not supported (there are no loops or switch): use goto",
  continue: "'continue' is not supported (there are no loops)",
}));
const TYPE_WORDS = new Set([
  'char', 'short', 'long', 'unsigned', 'signed', 'void', 'struct', 'union', 'enum', 'float', 'double', 'bool',
  'u_int', 'u_int32_t', 'uint32_t', 'uint64_t', 'int32_t', 'cam_status', 'static', 'const', 'volatile', 'register',
  'union', 'typedef', 'u_long', 'size_t', 'off_t',
]);

function span(a: Range, b: Range): Range {
  return { start: a.start, end: b.end };
}

function describe(t: CToken): string {
  return t.kind === 'eof' ? 'the end of the driver block' : `'${t.text}'`;
}

export function parseDriver(text: string, region: DriverRegion): DriverParseResult {
  const { tokens, comments } = tokenizeC(text, region);
  const p = new CParser(tokens);
  const driver = p.parseDriver();
  return { driver, diagnostics: p.diagnostics, comments };
}

class CParser {
  readonly diagnostics: Diagnostic[] = [];
  private i = 0;
  private last: CToken | undefined;
  /** Set after the first error of a statement; later errors of that statement stay silent. */
  private failed = false;
  private nesting = 0;
  private exprNesting = 0;
  private exprOperators = 0;

  constructor(private readonly toks: CToken[]) {
    for (const t of toks) if (t.kind === 'error') this.report(t.range, t.message ?? `unexpected '${t.text}'`);
  }

  // ---- token helpers ----

  private cur(): CToken {
    return this.toks[this.i];
  }
  private peek(k = 1): CToken {
    return this.toks[Math.min(this.i + k, this.toks.length - 1)];
  }
  private advance(): CToken {
    const t = this.toks[this.i];
    if (t.kind !== 'eof') this.i++;
    this.last = t;
    return t;
  }
  private is(text: string, t: CToken = this.cur()): boolean {
    return t.text === text && (t.kind === 'op' || t.kind === 'punct');
  }
  private isWord(text?: string, t: CToken = this.cur()): boolean {
    return t.kind === 'word' && (text === undefined || t.text === text);
  }
  private ident(t: CToken): Ident {
    return { name: t.text, range: t.range };
  }

  // ---- diagnostics ----

  private report(range: Range, message: string, related?: Diagnostic['related']): void {
    const d: Diagnostic = { range, message, severity: 'error', code: 'syntax' };
    if (related) d.related = related;
    this.diagnostics.push(d);
  }

  /** Where something missing should have been: right after the last token, when the current one is on a later line. */
  private missingRange(): Range {
    const t = this.cur();
    if (this.last && (t.kind === 'eof' || t.range.start.line > this.last.range.end.line)) {
      return { start: this.last.range.end, end: this.last.range.end };
    }
    return t.range;
  }

  /** Reports at `range` (default: the current token), once per statement. */
  private fail(message: string, range?: Range, related?: Diagnostic['related']): void {
    if (this.failed) return;
    this.failed = true;
    if (!range && this.cur().kind === 'error') return; // the lexer has reported it
    this.report(range ?? this.missingRange(), message, related);
  }

  private missingIdent(): Ident {
    const r = this.missingRange();
    return { name: '', range: { start: r.start, end: r.start } };
  }

  /** Expects `;` ending a statement; a missing one on an earlier line is reported without skipping. */
  private semicolon(after: string): void {
    if (this.is(';')) {
      this.advance();
      return;
    }
    this.fail(`expected ';' after ${after}, found ${describe(this.cur())}`);
    if (this.last && this.cur().range.start.line > this.last.range.end.line) return; // the next line is the next statement
    this.sync();
  }

  /**
   * Skips the rest of a statement that has an error: up to and including a `;`,
   * or a whole `{ ... }` block (and an `else` or `while` that follows it). Stops
   * before a `}` that closes the enclosing block.
   */
  private sync(): void {
    let parens = 0;
    for (;;) {
      const t = this.cur();
      if (t.kind === 'eof') return;
      if (this.is('(')) parens++;
      else if (this.is(')')) parens = Math.max(0, parens - 1);
      else if (this.is('}')) return;
      else if (this.is(';') && parens === 0) {
        this.advance();
        return;
      } else if (this.is('{')) {
        this.skipBraces();
        if (this.isWord('else') || this.isWord('while')) continue;
        if (parens === 0) return;
        continue;
      }
      this.advance();
    }
  }

  /** Skips a balanced `{ ... }` at the current token. */
  private skipBraces(): void {
    let depth = 0;
    do {
      if (this.is('{')) depth++;
      else if (this.is('}')) depth--;
      this.advance();
    } while (depth > 0 && this.cur().kind !== 'eof');
  }

  // ---- the driver block ----

  parseDriver(): DriverDecl {
    const kw = this.advance(); // `driver`
    let name: Ident;
    if (this.isWord()) {
      name = this.ident(this.advance());
    } else {
      this.fail(`expected a driver name after 'driver', e.g. driver mypass {`);
      name = this.missingIdent();
    }
    const d: DriverDecl = { kind: 'driver', name, dFlags: undefined, softcFlags: [], resting: undefined, routines: [], range: kw.range };
    const what = name.name ? `driver ${name.name}` : 'the driver block';
    if (!this.is('{')) {
      this.fail(`expected '{' after the driver name${name.name ? ` '${name.name}'` : ''}, found ${describe(this.cur())}`);
      while (!this.is('{') && this.cur().kind !== 'eof') this.advance();
      if (!this.is('{')) {
        d.range = span(kw.range, (this.last ?? kw).range);
        return d;
      }
    }
    const open = this.advance();
    this.failed = false;
    for (;;) {
      const t = this.cur();
      if (t.kind === 'eof') {
        const r = this.last ? this.last.range.end : t.range.start;
        this.report({ start: r, end: r }, `missing '}' to close ${what}`, [{ range: open.range, message: `the '{' of ${what}` }]);
        break;
      }
      if (this.is('}')) {
        this.advance();
        break;
      }
      this.failed = false;
      this.parseItem(d);
    }
    d.range = span(kw.range, (this.last ?? kw).range);
    return d;
  }

  private parseItem(d: DriverDecl): void {
    const t = this.cur();
    if (this.is(';')) {
      this.advance();
      return;
    }
    if (t.kind === 'word') {
      if ((ROUTINE_KINDS as readonly string[]).includes(t.text)) {
        d.routines.push(this.parseRoutine(t.text as RoutineKind));
        return;
      }
      switch (t.text) {
        case 'd_flags':
          return this.parseDFlags(d);
        case 'softc_flags':
          return this.parseSoftcFlags(d);
        case 'resting':
          return this.parseResting(d);
      }
    }
    const guess = t.kind === 'word' ? closestName(t.text, DRIVER_ITEMS) : undefined;
    this.fail(
      `expected a driver item (d_flags, softc_flags, resting, d_open, d_close, oninvalidate or devgonecb), found ${describe(t)}` +
        (guess ? `; did you mean '${guess}'?` : ''),
      t.kind === 'error' ? undefined : t.range,
    );
    this.sync();
  }

  /** `d_flags = D_TRACKCLOSE | D_NEEDGIANT;` or `d_flags = 0;` */
  private parseDFlags(d: DriverDecl): void {
    const kw = this.advance();
    const names: Ident[] = [];
    if (!this.is('=')) {
      this.fail("expected '=' after 'd_flags', e.g. d_flags = D_TRACKCLOSE;");
      return this.sync();
    }
    this.advance();
    for (;;) {
      const t = this.cur();
      if (t.kind === 'word') names.push(this.ident(this.advance()));
      else if (t.kind === 'number' && t.value === 0) this.advance();
      else {
        this.fail(`expected a cdevsw flag (D_TRACKCLOSE, D_NEEDGIANT) or 0 after ${describe(this.last ?? kw)}, found ${describe(t)}`);
        return this.sync();
      }
      if (!this.is('|')) break;
      this.advance();
    }
    d.dFlags = { names, range: span(kw.range, (this.last ?? kw).range) };
    this.semicolon('the d_flags');
  }

  /** `softc_flags NAME = VALUE, NAME = VALUE;` */
  private parseSoftcFlags(d: DriverDecl): void {
    this.advance();
    for (;;) {
      const t = this.cur();
      if (t.kind !== 'word') {
        this.fail(`expected a flag name in 'softc_flags', e.g. softc_flags MYPASS_FLAG_OPEN = 0x01;`);
        return this.sync();
      }
      this.advance();
      if (!this.is('=')) {
        this.fail(`expected '=' and a value after the flag ${t.text}, e.g. ${t.text} = 0x01`);
        return this.sync();
      }
      this.advance();
      const v = this.cur();
      if (v.kind !== 'number') {
        this.fail(`expected the value of the flag ${t.text} (a number such as 0x01), found ${describe(v)}`);
        return this.sync();
      }
      this.advance();
      d.softcFlags.push({ name: this.ident(t), value: v.value ?? 0, range: span(t.range, v.range) } satisfies SoftcFlagDecl);
      if (!this.is(',')) break;
      this.advance();
    }
    this.semicolon('the softc flags');
  }

  /** `resting = 1;` */
  private parseResting(d: DriverDecl): void {
    const kw = this.advance();
    if (!this.is('=')) {
      this.fail("expected '=' after 'resting', e.g. resting = 1;");
      return this.sync();
    }
    this.advance();
    const v = this.cur();
    if (v.kind !== 'number') {
      this.fail(`expected the refcount at rest (a number such as 1) after 'resting =', found ${describe(v)}`);
      return this.sync();
    }
    this.advance();
    d.resting = { value: v.value ?? 0, range: span(kw.range, v.range) };
    this.semicolon('the resting refcount');
  }

  /** `d_open { ... }` */
  private parseRoutine(kind: RoutineKind): CRoutine {
    const kw = this.advance();
    const r: CRoutine = { kind, name: this.ident(kw), body: [], range: kw.range };
    if (this.is('(')) {
      // `d_open(...) {`: the parameters are fixed, say so and go on
      const open = this.cur();
      let depth = 0;
      do {
        if (this.is('(')) depth++;
        else if (this.is(')')) depth--;
        this.advance();
      } while (depth > 0 && this.cur().kind !== 'eof' && !this.is('{'));
      this.fail(`write '${kind} {' without parameters: periph and softc are always in scope`, span(open.range, (this.last ?? open).range));
    }
    if (!this.is('{')) {
      this.fail(`expected '{' after '${kind}', found ${describe(this.cur())}`);
      this.sync();
      r.range = span(kw.range, (this.last ?? kw).range);
      return r;
    }
    r.body = this.parseBlock(`${kind}`);
    r.range = span(kw.range, (this.last ?? kw).range);
    return r;
  }

  /** `{ statements }`, the current token being the `{`. */
  private parseBlock(what: string): CStmt[] {
    const open = this.advance();
    const body: CStmt[] = [];
    for (;;) {
      const t = this.cur();
      if (t.kind === 'eof') {
        const r = this.last ? this.last.range.end : t.range.start;
        this.report({ start: r, end: r }, `missing '}' to close ${what}`, [{ range: open.range, message: `the '{' of ${what}` }]);
        return body;
      }
      if (this.is('}')) {
        this.advance();
        return body;
      }
      this.failed = false;
      this.parseStatement(body);
    }
  }

  // ---- statements ----

  private parseStatement(out: CStmt[]): void {
    const t = this.cur();
    if (this.is(';')) {
      this.advance();
      return;
    }
    if (this.is('{')) {
      if (this.nesting >= MAX_NESTING) {
        this.fail(`blocks nest too deeply (more than ${MAX_NESTING} levels)`);
        return this.sync();
      }
      this.nesting++;
      out.push(...this.parseBlock('the block'));
      this.nesting--;
      return;
    }
    if (t.kind === 'word') {
      const next = this.peek();
      if (this.is(':', next) && !UNSUPPORTED_STATEMENTS.has(t.text)) {
        this.advance();
        this.advance();
        out.push({ kind: 'label', label: this.ident(t), range: t.range });
        return;
      }
      switch (t.text) {
        case 'int':
          return this.parseDecl(out);
        case 'if':
          return this.parseIf(out);
        case 'else':
          this.fail("'else' without an 'if' before it", t.range);
          this.advance();
          return this.sync();
        case 'return':
          return this.parseReturn(out);
        case 'goto':
          return this.parseGoto(out);
      }
      const unsupported = UNSUPPORTED_STATEMENTS.get(t.text);
      if (unsupported) {
        this.fail(`${unsupported} (${C_SUBSET})`, t.range);
        this.advance();
        return this.sync();
      }
      if (TYPE_WORDS.has(t.text)) return this.parseOtherDecl();
      if ((ROUTINE_KINDS as readonly string[]).includes(t.text) && this.is('{', next)) {
        this.fail(`'${t.text}' is a routine of the driver: it cannot appear inside another routine (is a '}' missing before it?)`, t.range);
        this.advance();
        return this.sync();
      }
    }
    if (this.is('++') || this.is('--')) {
      const op = this.advance();
      const target = this.parseExpr();
      if (!target) return this.sync();
      this.checkTarget(target);
      out.push({ kind: 'incdec', target, op: op.text as '++' | '--', range: span(op.range, target.range) });
      return this.semicolon(`'${op.text}'`);
    }
    if (t.kind === 'op' || t.kind === 'punct') {
      if (this.is('}')) return; // the caller closes the block
      if (this.is('*')) {
        this.fail(`pointers are not supported: the C subset names softc->FIELD and periph->FIELD`, t.range);
        return this.sync();
      }
    }
    return this.parseExpressionStatement(out);
  }

  /** `int a;`, `int a = 1, b;` */
  private parseDecl(out: CStmt[]): void {
    const kw = this.advance();
    for (;;) {
      if (this.is('*')) {
        this.fail('pointer locals are not supported: only int locals', this.cur().range);
        return this.sync();
      }
      const t = this.cur();
      if (t.kind !== 'word') {
        this.fail(`expected a local variable name after 'int', e.g. int error;`);
        return this.sync();
      }
      this.advance();
      const s: CStmt = { kind: 'decl', name: this.ident(t), range: span(kw.range, t.range) };
      if (this.is('[')) {
        this.fail('arrays are not supported: only int locals', this.cur().range);
        return this.sync();
      }
      if (this.is('=')) {
        this.advance();
        const init = this.parseExpr();
        if (!init) return this.sync();
        s.init = init;
        s.range = span(kw.range, (this.last ?? kw).range);
      }
      out.push(s);
      if (!this.is(',')) break;
      this.advance();
    }
    this.semicolon('the declaration');
  }

  /** `struct pass_softc *softc;` and other declarations outside the subset. */
  private parseOtherDecl(): void {
    const start = this.cur();
    let k = 0;
    while (this.peek(k).kind === 'word' || this.is('*', this.peek(k))) k++;
    const declared = this.peek(k - 1);
    if (declared.kind === 'word' && (declared.text === 'periph' || declared.text === 'softc')) {
      this.fail(`'${declared.text}' is already declared in every routine: remove this declaration`, span(start.range, declared.range));
    } else {
      this.fail(`only 'int' locals are supported, found '${start.text}' (${C_SUBSET})`, start.range);
    }
    this.sync();
  }

  /** `if (COND) STMT [else STMT]` */
  private parseIf(out: CStmt[]): void {
    const kw = this.advance();
    if (!this.is('(')) {
      this.fail(`expected '(' after 'if', found ${describe(this.cur())}`);
      return this.sync();
    }
    const open = this.advance();
    const cond = this.parseExpr();
    if (!cond) return this.sync();
    if (!this.is(')')) {
      this.fail(`expected ')' to close the condition of 'if', found ${describe(this.cur())}`, undefined, [{ range: open.range, message: "the '('" }]);
      return this.sync();
    }
    const close = this.advance();
    if (this.nesting >= MAX_NESTING) {
      this.fail(`if statements nest too deeply (more than ${MAX_NESTING} levels)`);
      return this.sync();
    }
    this.nesting++;
    const stmt: CStmt = { kind: 'if', cond, then: this.parseBranch(), range: span(kw.range, close.range) };
    if (this.isWord('else')) {
      const e = this.advance();
      stmt.elseRange = e.range;
      stmt.else = this.parseBranch();
    }
    this.nesting--;
    out.push(stmt);
  }

  /** The statement (or block) of an if or else branch. */
  private parseBranch(): CStmt[] {
    const body: CStmt[] = [];
    this.failed = false;
    if (this.is('}') || this.cur().kind === 'eof') {
      this.fail(`expected a statement, found ${describe(this.cur())}`);
      return body;
    }
    this.parseStatement(body);
    return body;
  }

  /** `return;`, `return (EXPR);`, `return EXPR;` */
  private parseReturn(out: CStmt[]): void {
    const kw = this.advance();
    if (this.is(';')) {
      this.advance();
      out.push({ kind: 'return', range: kw.range });
      return;
    }
    const value = this.parseExpr();
    if (!value) return this.sync();
    out.push({ kind: 'return', value, range: span(kw.range, (this.last ?? kw).range) });
    this.semicolon("'return'");
  }

  /** `goto LABEL;` */
  private parseGoto(out: CStmt[]): void {
    const kw = this.advance();
    if (!this.isWord()) {
      this.fail(`expected a label after 'goto', e.g. goto bad;`);
      return this.sync();
    }
    const label = this.ident(this.advance());
    out.push({ kind: 'goto', label, range: span(kw.range, label.range) });
    this.semicolon(`'goto ${label.name}'`);
  }

  /** An assignment, `x++`, or a call. */
  private parseExpressionStatement(out: CStmt[]): void {
    const start = this.cur();
    const target = this.parseExpr();
    if (!target) return this.sync();
    const t = this.cur();
    if (t.kind === 'op' && (ASSIGN_OPS as readonly string[]).includes(t.text)) {
      this.checkTarget(target);
      this.advance();
      const value = this.parseExpr();
      if (!value) return this.sync();
      out.push({ kind: 'assign', target, op: t.text as CAssignOp, value, range: span(target.range, (this.last ?? t).range) });
      return this.semicolon('the assignment');
    }
    if (t.kind === 'op' && OTHER_ASSIGN_OPS.includes(t.text)) {
      this.fail(`'${t.text}' is not supported: assignments are =, |=, &=, += and -=`, t.range);
      return this.sync();
    }
    if (this.is('++') || this.is('--')) {
      this.checkTarget(target);
      const op = this.advance();
      out.push({ kind: 'incdec', target, op: op.text as '++' | '--', range: span(target.range, op.range) });
      return this.semicolon(`'${op.text}'`);
    }
    if (target.kind !== 'call') {
      if (this.is(';')) {
        this.fail('this statement computes a value and does nothing with it: write an assignment, a call, if, goto or return', target.range);
        this.advance();
        return;
      }
      if (start.kind === 'word' && this.cur().kind === 'word' && this.cur().range.start.line === start.range.start.line) {
        this.fail(`unknown type or statement '${start.text}' (${C_SUBSET})`, start.range);
        return this.sync();
      }
    }
    out.push({ kind: 'expr', expr: target, range: target.range });
    this.semicolon(target.kind === 'call' ? `the call to ${target.callee.name}` : 'the expression');
  }

  /** What can be assigned to: a local or a field. */
  private checkTarget(e: CExpr): void {
    if (e.kind !== 'name' && e.kind !== 'field') this.fail('only a local or a field (softc->flags) can be assigned to', e.range);
  }

  // ---- expressions ----

  private parseExpr(): CExpr | undefined {
    if (this.exprNesting === 0) this.exprOperators = 0;
    return this.parseBinary(0);
  }

  private within(nesting: boolean): boolean {
    if (++this.exprOperators > MAX_EXPR_OPERATORS) {
      this.fail(`expression too long (more than ${MAX_EXPR_OPERATORS} operators)`);
      return false;
    }
    if (nesting && this.exprNesting >= MAX_EXPR_NESTING) {
      this.fail(`expression nests too deeply (more than ${MAX_EXPR_NESTING} levels)`);
      return false;
    }
    return true;
  }

  private parseBinary(level: number): CExpr | undefined {
    if (level === LEVELS.length) return this.parseUnary();
    const ops = LEVELS[level] as readonly string[];
    let left = this.parseBinary(level + 1);
    while (left && this.cur().kind === 'op' && ops.includes(this.cur().text)) {
      if (!this.within(false)) return undefined;
      const op = this.advance().text as CBinaryOp;
      const right = this.parseBinary(level + 1);
      if (!right) return undefined;
      left = { kind: 'binary', op, left, right, range: span(left.range, right.range) };
    }
    if (left && level === 0) {
      const t = this.cur();
      if (this.is('*') || this.is('/') || this.is('%')) {
        this.fail(`'${t.text}' is not supported: the operators are | & ^ ~ ! << >> + - == != < <= > >= && ||`, t.range);
        return undefined;
      }
      if (this.is('?')) {
        this.fail("the conditional operator '?:' is not supported: use if/else", t.range);
        return undefined;
      }
    }
    return left;
  }

  private parseUnary(): CExpr | undefined {
    const t = this.cur();
    if (t.kind === 'op' && (t.text === '!' || t.text === '~' || t.text === '-' || t.text === '&')) {
      if (!this.within(true)) return undefined;
      this.advance();
      this.exprNesting++;
      const operand = this.parseUnary();
      this.exprNesting--;
      if (!operand) return undefined;
      return { kind: 'unary', op: t.text, operand, range: span(t.range, operand.range) };
    }
    if (this.is('*')) {
      this.fail('pointers are not supported: the C subset names softc->FIELD and periph->FIELD', t.range);
      return undefined;
    }
    if (this.is('++') || this.is('--')) {
      this.fail(`'${t.text}' inside an expression is not supported: write it as a statement of its own`, t.range);
      return undefined;
    }
    return this.parsePostfix();
  }

  private parsePostfix(): CExpr | undefined {
    const e = this.parsePrimary();
    if (!e) return undefined;
    const t = this.cur();
    if (this.is('(')) {
      if (e.kind !== 'name') {
        this.fail('only a kernel function can be called, by its name', t.range);
        return undefined;
      }
      return this.parseCall({ name: e.name, range: e.range });
    }
    if (this.is('->')) {
      this.advance();
      if (e.kind !== 'name') {
        this.fail("'->' follows softc or periph, e.g. softc->flags", t.range);
        return undefined;
      }
      const f = this.cur();
      if (f.kind !== 'word') {
        this.fail(`expected a field name after '->', found ${describe(f)}`);
        return undefined;
      }
      this.advance();
      const field: CExpr = { kind: 'field', object: { name: e.name, range: e.range }, field: this.ident(f), range: span(e.range, f.range) };
      if (this.is('->') || this.is('.')) {
        this.fail(`only one level of fields is supported (${e.name}->${f.text}), not a chain`, this.cur().range);
        return undefined;
      }
      return field;
    }
    if (this.is('.')) {
      this.fail(`use '->': ${e.kind === 'name' ? e.name : 'it'} is a pointer (e.g. softc->flags)`, t.range);
      return undefined;
    }
    if (this.is('[')) {
      this.fail('arrays are not supported', t.range);
      return undefined;
    }
    return e;
  }

  private parseCall(callee: Ident): CExpr | undefined {
    const open = this.advance();
    const args: CExpr[] = [];
    if (!this.is(')')) {
      for (;;) {
        if (!this.within(true)) return undefined;
        this.exprNesting++;
        const a = this.parseExpr();
        this.exprNesting--;
        if (!a) return undefined;
        args.push(a);
        if (!this.is(',')) break;
        this.advance();
      }
    }
    if (!this.is(')')) {
      this.fail(`expected ')' to close the call to ${callee.name}, found ${describe(this.cur())}`, undefined, [{ range: open.range, message: "the '('" }]);
      return undefined;
    }
    const close = this.advance();
    return { kind: 'call', callee, args, range: span(callee.range, close.range) };
  }

  private parsePrimary(): CExpr | undefined {
    const t = this.cur();
    if (t.kind === 'number') {
      this.advance();
      return { kind: 'num', value: t.value ?? 0, range: t.range };
    }
    if (t.kind === 'word') {
      if (t.text === 'sizeof') {
        this.fail(`'sizeof' is not supported (${C_SUBSET})`, t.range);
        return undefined;
      }
      this.advance();
      return { kind: 'name', name: t.text, range: t.range };
    }
    if (this.is('(')) {
      const next = this.peek();
      if (next.kind === 'word' && (TYPE_WORDS.has(next.text) || next.text === 'int')) {
        this.fail('casts are not supported: values are ints, periph and softc', span(t.range, next.range));
        return undefined;
      }
      if (!this.within(true)) return undefined;
      this.advance();
      this.exprNesting++;
      const inner = this.parseExpr();
      this.exprNesting--;
      if (!inner) return undefined;
      if (this.cur().kind === 'op' && ([...ASSIGN_OPS, ...OTHER_ASSIGN_OPS] as string[]).includes(this.cur().text)) {
        this.fail('an assignment inside an expression is not supported: assign first, then test the variable', this.cur().range);
        return undefined;
      }
      if (!this.is(')')) {
        this.fail(`expected ')' to close the '(', found ${describe(this.cur())}`, undefined, [{ range: t.range, message: "the unclosed '('" }]);
        return undefined;
      }
      this.advance();
      return inner;
    }
    if (t.kind === 'error') {
      this.failed = true; // the lexer reported it
      return undefined;
    }
    this.fail(`expected a value (a number, a name, softc->FIELD, periph->FIELD or a call), found ${describe(t)}`);
    return undefined;
  }
}
