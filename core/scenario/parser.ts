// The error-recovering parser of `.camsim` files and of the expression language.
//
// One item per line. On a syntax error the parser reports it, marks the line as
// failed (so that one mistake gives one diagnostic, not a cascade) and resumes at
// the next line; a bad line that opens a `{` block skips that block as well. A
// missing `}` is detected when a declaration keyword starts a line inside a block.
//
// Partial nodes are kept so that the outline and the checker see as much as
// possible: a part the parser found missing is an Ident whose name is '' (see
// `isMissing`), with a zero-width range where it should have been. A scenario with
// syntax errors is never runnable.

import type {
  BinaryOp,
  DeviceDecl,
  Diagnostic,
  ExpectDecl,
  Expr,
  Ident,
  KernelOption,
  Position,
  ProcessDecl,
  Range,
  RepeatStmt,
  Scenario,
  ScheduleDecl,
  ScheduleEntry,
  Stmt,
} from './ast';
import { DECLARATION_KEYWORDS, STATEMENT_KEYWORDS, tokenize, type Token } from './lexer';
import { closestName } from './suggest';
import { driverNames } from '../kernel/drivers/catalogue';
import { findDriverRegions, maskDrivers } from './c/regions';
import { parseDriver } from './c/parser';

export interface ParseResult {
  scenario: Scenario;
  diagnostics: Diagnostic[];
}

export interface ExpressionParseResult {
  /** Absent when the text has a syntax error. */
  expr?: Expr;
  diagnostics: Diagnostic[];
}

/** Whether the parser made up this Ident for a missing part (it reported an error there). */
export function isMissing(id: Ident | undefined): boolean {
  return !id || id.name === '';
}

export function parseScenario(text: string): ParseResult {
  // driver blocks are C: the scenario parser sees them as blank lines
  const regions = findDriverRegions(text);
  const p = new Parser(maskDrivers(text, regions), false);
  const scenario = p.parseFile();
  if (regions.length === 0) return { scenario, diagnostics: p.diagnostics };
  const diagnostics = p.diagnostics;
  for (const r of regions) {
    const parsed = parseDriver(text, r);
    scenario.drivers.push(parsed.driver);
    scenario.items.push(parsed.driver);
    diagnostics.push(...parsed.diagnostics);
  }
  scenario.items.sort((a, b) => comparePositions(a.range.start, b.range.start));
  diagnostics.sort((a, b) => comparePositions(a.range.start, b.range.start));
  return { scenario, diagnostics };
}

function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

/** Parses one expression (a watch, an evaluate request); ranges are relative to `text`. */
export function parseExpression(text: string): ExpressionParseResult {
  const p = new Parser(text, true);
  const expr = p.parseWholeExpression();
  return { expr, diagnostics: p.diagnostics };
}

const BINARY_LEVELS: readonly (readonly BinaryOp[])[] = [
  ['||'],
  ['&&'],
  ['==', '!='],
  ['<', '<=', '>', '>='],
  ['|'],
  ['&'],
  ['+', '-'],
];

/** Limits that keep recursion (here, in the checker and in evaluators) shallow on hostile input. */
export const MAX_BLOCK_NESTING = 32;
export const MAX_EXPRESSION_NESTING = 64;
export const MAX_EXPRESSION_OPERATORS = 1000;

const DECLARATION_LIST = "'scenario', 'kernel', 'device', 'driver', 'process', 'schedule' or 'expect'";
const STATEMENT_LIST = "'open', 'close', 'ioctl', 'lose' or 'repeat'";
const EXPECT_LIST = "panic, no panic, deadlock, no deadlock, no use-after-free, no leak, or a condition such as pass0.refcount == 1";

function span(a: Range, b: Range): Range {
  return { start: a.start, end: b.end };
}

function describe(t: Token, expressionOnly = false): string {
  switch (t.kind) {
    case 'newline':
      return 'the end of the line';
    case 'eof':
      return expressionOnly ? 'the end of the expression' : 'the end of the file';
    case 'string':
      return 'a string';
    default:
      return `'${t.text}'`;
  }
}

class Parser {
  readonly diagnostics: Diagnostic[] = [];
  private readonly toks: Token[] = [];
  private readonly comments: Scenario['comments'] = [];
  private i = 0;
  /** The last consumed token that is not a newline: missing things are reported right after it. */
  private last: Token | undefined;
  /** Set after the first error of a line; later errors on that line are cascades and stay silent. */
  private lineFailed = false;
  private blockDepth = 0;
  private exprNesting = 0;
  private exprOperators = 0;

  constructor(
    text: string,
    private readonly expressionOnly: boolean,
  ) {
    for (const t of tokenize(text)) {
      if (t.kind === 'comment') {
        this.comments.push({ text: t.text, range: t.range });
        continue;
      }
      if (t.kind === 'error') this.report(t.range, t.message ?? `unexpected '${t.text}'`);
      if (expressionOnly && t.kind === 'newline') continue; // a watch may span lines
      this.toks.push(t);
    }
  }

  // ---- token helpers ----

  private cur(): Token {
    return this.toks[this.i];
  }
  private peekAt(k: number): Token {
    return this.toks[Math.min(this.i + k, this.toks.length - 1)];
  }
  private advance(): Token {
    const t = this.toks[this.i];
    if (t.kind !== 'eof') this.i++;
    if (t.kind === 'newline') this.lineFailed = false;
    else this.last = t;
    return t;
  }
  private atEol(): boolean {
    const k = this.cur().kind;
    return k === 'newline' || k === 'eof';
  }
  private is(text: string, kind?: Token['kind']): boolean {
    const t = this.cur();
    return t.text === text && (kind ? t.kind === kind : t.kind === 'punct' || t.kind === 'operator' || t.kind === 'keyword');
  }
  private isWord(t: Token = this.cur()): boolean {
    return t.kind === 'identifier' || t.kind === 'keyword';
  }
  private skipNewlines(): void {
    while (this.cur().kind === 'newline') this.advance();
  }

  // ---- diagnostics ----

  private report(range: Range, message: string, related?: Diagnostic['related']): void {
    const d: Diagnostic = { range, message, severity: 'error', code: 'syntax' };
    if (related) d.related = related;
    this.diagnostics.push(d);
  }

  /** The spot right after the last consumed token (for something missing), or the token itself. */
  private missingRange(): Range {
    const t = this.cur();
    if ((t.kind === 'newline' || t.kind === 'eof') && this.last) {
      return { start: this.last.range.end, end: this.last.range.end };
    }
    if (t.kind === 'newline' || t.kind === 'eof') return { start: t.range.start, end: t.range.start };
    return t.range;
  }

  /** Reports an error at the current token (or where something is missing), once per line. */
  private fail(message: string, related?: Diagnostic['related']): void {
    if (this.lineFailed) return;
    this.lineFailed = true;
    if (this.cur().kind === 'error') return; // the lexer has reported it
    this.report(this.missingRange(), message, related);
  }

  private missingIdent(): Ident {
    const r = this.last && this.atEol() ? this.last.range.end : this.cur().range.start;
    return { name: '', range: { start: r, end: r } };
  }

  /**
   * Skips to the end of the line. When the skipped part opens a block (`... {`),
   * skips that block as well so that its contents do not cascade into errors.
   */
  private skipLine(): void {
    let depth = 0;
    while (!this.atEol()) {
      if (this.is('{', 'punct')) depth++;
      else if (this.is('}', 'punct') && depth > 0) depth--;
      this.advance();
    }
    if (depth > 0) this.skipBlock(depth);
  }

  private skipBlock(depth: number): void {
    while (depth > 0 && this.cur().kind !== 'eof') {
      if (this.cur().kind === 'newline') {
        this.advance();
        // a declaration at the start of a line ends the damaged region
        if (this.cur().kind === 'keyword' && DECLARATION_KEYWORDS.includes(this.cur().text)) return;
        continue;
      }
      if (this.is('{', 'punct')) depth++;
      else if (this.is('}', 'punct')) depth--;
      this.advance();
    }
  }

  /** Ends an item: anything left on the line is an error; then consumes the newline. */
  private endLine(after: string): void {
    if (!this.atEol()) {
      this.fail(`unexpected ${describe(this.cur())} after ${after}: put one item per line`);
      this.skipLine();
    }
    if (this.cur().kind === 'newline') this.advance();
    this.lineFailed = false;
  }

  private ident(t: Token): Ident {
    return { name: t.text, range: t.range };
  }

  /**
   * A name for a device, process or descriptor. A keyword is reported but kept as
   * the name (the line still parses); anything else yields a missing Ident.
   * `stop` lists keywords that mean the name was left out (e.g. 'as').
   */
  private name(what: string, missingMessage: string, stop: readonly string[] = []): Ident {
    const t = this.cur();
    if (t.kind === 'identifier') {
      this.advance();
      return this.ident(t);
    }
    if (t.kind === 'keyword' && !stop.includes(t.text)) {
      this.fail(`'${t.text}' is a keyword: it cannot name a ${what}`);
      this.advance();
      return this.ident(t);
    }
    const found = this.atEol() ? '' : `, found ${describe(t)}`;
    this.fail(missingMessage + found);
    return this.missingIdent();
  }

  // ---- the file ----

  parseFile(): Scenario {
    const s: Scenario = {
      kernelOptions: [],
      devices: [],
      processes: [],
      expectations: [],
      drivers: [],
      items: [],
      comments: this.comments,
    };
    for (;;) {
      this.skipNewlines();
      const t = this.cur();
      if (t.kind === 'eof') break;
      if (t.kind === 'keyword') {
        switch (t.text) {
          case 'scenario':
            this.parseTitle(s);
            continue;
          case 'kernel':
            this.parseKernel(s);
            continue;
          case 'device':
            this.parseDevice(s);
            continue;
          case 'process':
            this.parseProcess(s);
            continue;
          case 'schedule':
            this.parseSchedule(s);
            continue;
          case 'expect':
            this.parseExpect(s);
            continue;
        }
        if (STATEMENT_KEYWORDS.includes(t.text)) {
          this.fail(`'${t.text}' is a statement: put it inside a process { ... }`);
          this.skipLine();
          this.endLine('');
          continue;
        }
      }
      if (this.is('}', 'punct')) {
        this.fail("unmatched '}': no block is open here");
        this.advance();
        this.endLine("'}'");
        continue;
      }
      const guess = t.kind === 'identifier' ? closestName(t.text, [...DECLARATION_KEYWORDS, 'driver']) : undefined;
      this.fail(
        `expected a declaration (${DECLARATION_LIST}), found ${describe(t)}` + (guess ? `; did you mean '${guess}'?` : ''),
      );
      this.skipLine();
      this.endLine('');
    }
    return s;
  }

  /** `scenario "title"` */
  private parseTitle(s: Scenario): void {
    const kw = this.advance();
    const t = this.cur();
    let text = '';
    let textRange: Range | undefined;
    if (t.kind === 'string' || (t.kind === 'error' && typeof t.value === 'string')) {
      this.advance();
      if (t.kind === 'error') this.lineFailed = true; // reported by the lexer
      text = String(t.value);
      textRange = t.range;
    } else {
      this.fail(`expected a title in double quotes after 'scenario', e.g. scenario "two processes race close"`);
      if (!this.atEol()) this.skipLine();
    }
    const item: Scenario['items'][number] & { kind: 'scenario' } = {
      kind: 'scenario',
      text,
      range: span(kw.range, (this.last ?? kw).range),
    };
    if (textRange) item.textRange = textRange;
    if (!s.title) s.title = item;
    s.items.push(item);
    this.endLine('the scenario title');
  }

  /** `kernel OPTION` */
  private parseKernel(s: Scenario): void {
    const kw = this.advance();
    let option: Ident;
    if (this.isWord()) {
      option = this.ident(this.advance());
    } else {
      this.fail("expected a kernel option after 'kernel' (invariants)");
      option = this.missingIdent();
    }
    const k: KernelOption = { kind: 'kernel', option, range: span(kw.range, (this.last ?? kw).range) };
    s.kernelOptions.push(k);
    s.items.push(k);
    this.endLine(`'kernel ${option.name}' (one option per line)`);
  }

  /** `device NAME: DRIVER [VARIANT] [with OPTION ...]` */
  private parseDevice(s: Scenario): void {
    const kw = this.advance();
    const name = this.name('device', "expected a device name after 'device', e.g. device pass0: pass");
    let driver: Ident;
    let variant: Ident | undefined;
    const options: Ident[] = [];
    if (this.is(':', 'punct')) {
      this.advance();
    } else if (!this.lineFailed) {
      this.fail(`expected ':' after the device name${name.name ? ` '${name.name}'` : ''}, e.g. device pass0: pass`);
    }
    // recovery: a word where ':' was expected is taken as the driver
    if (this.isWord() && this.cur().text !== 'with') {
      driver = this.ident(this.advance());
    } else {
      const names = driverNames();
      this.fail(`expected a driver after ':' (${names.slice(0, -1).join(', ')} or ${names[names.length - 1]})`);
      driver = this.missingIdent();
    }
    if (this.isWord() && this.cur().text !== 'with') variant = this.ident(this.advance());
    if (this.isWord() && this.cur().text !== 'with') {
      // `device ch0: ch before-fix io-error`: keep the words as options
      this.fail(`expected 'with' before the device option '${this.cur().text}', e.g. with ${this.cur().text}`);
      while (this.isWord()) options.push(this.ident(this.advance()));
    }
    if (this.is('with', 'keyword')) {
      this.advance();
      if (!this.isWord()) this.fail("expected a device option after 'with' (io-error)");
      while (this.isWord()) options.push(this.ident(this.advance()));
    }
    const d: DeviceDecl = { kind: 'device', name, driver, options, range: span(kw.range, (this.last ?? kw).range) };
    if (variant) d.variant = variant;
    s.devices.push(d);
    s.items.push(d);
    this.endLine('the device declaration');
  }

  /** `process NAME {` ... `}` */
  private parseProcess(s: Scenario): void {
    const kw = this.advance();
    const name = this.name('process', "expected a process name after 'process', e.g. process A {");
    const what = name.name ? `process ${name.name}` : 'the process';
    const block = this.parseBlockAfterHeader(what, `after the process name in 'process'`, kw);
    const p: ProcessDecl = {
      kind: 'process',
      name,
      body: block.body,
      range: span(kw.range, (this.last ?? kw).range),
    };
    if (block.close) p.closeRange = block.close.range;
    s.processes.push(p);
    s.items.push(p);
  }

  /**
   * The `{` at the end of a header line, the statements, and the closing `}`.
   * Recovers from a `{` on the next line and from a missing `{` before statements.
   */
  private parseBlockAfterHeader(what: string, where: string, header: Token): { body: Stmt[]; close?: Token } {
    let open: Token | undefined;
    if (this.is('{', 'punct')) {
      open = this.advance();
    } else {
      this.fail(`expected '{' ${where}`);
      // resume at a '{' later on this line, if there is one
      while (!this.atEol() && !this.is('{', 'punct')) this.advance();
      if (this.is('{', 'punct')) {
        open = this.advance();
      } else {
        // `{` on the next line, or forgotten before the statements
        let k = 0;
        while (this.peekAt(k).kind === 'newline') k++;
        const next = this.peekAt(k);
        const startsBody =
          (next.kind === 'punct' && (next.text === '{' || next.text === '}')) ||
          (next.kind === 'keyword' && STATEMENT_KEYWORDS.includes(next.text));
        if (!startsBody) {
          this.endLine(what);
          return { body: [] };
        }
        this.skipNewlines();
        if (this.is('{', 'punct')) open = this.advance();
      }
    }
    return this.parseBlock(what, open, header.range.start.character);
  }

  /**
   * Statements up to the matching `}`; the current token follows the `{` (if any).
   * `indent` is the column of the block's header: a declaration keyword indented
   * deeper is a misplaced line, one at or left of it means the `}` is missing.
   */
  private parseBlock(what: string, open: Token | undefined, indent: number): { body: Stmt[]; close?: Token } {
    const body: Stmt[] = [];
    if (open && !this.atEol()) {
      if (this.is('}', 'punct')) {
        // `{ }` on one line: an empty block
        const close = this.advance();
        this.endLine("'}'");
        return { body, close };
      }
      this.fail(`put each statement of ${what} on its own line after '{'`);
      this.lineFailed = false; // the statement itself may still be checked
    } else if (this.cur().kind === 'newline') {
      this.advance();
    }
    const related = open ? [{ range: open.range, message: `the '{' of ${what}` }] : undefined;
    for (;;) {
      this.skipNewlines();
      const t = this.cur();
      if (t.kind === 'eof') {
        const r = this.last ? this.last.range.end : t.range.start;
        this.report({ start: r, end: r }, `missing '}' to close ${what} at the end of the file`, related);
        return { body };
      }
      if (this.is('}', 'punct')) {
        const close = this.advance();
        this.endLine("'}'");
        return { body, close };
      }
      if (t.kind === 'keyword' && DECLARATION_KEYWORDS.includes(t.text) && t.range.start.character > indent) {
        // indented deeper than the block's header: a declaration put inside the block
        this.fail(`'${t.text}' is a declaration: it cannot appear inside ${what}`);
        this.skipLine();
        this.endLine('');
        continue;
      }
      if (t.kind === 'keyword' && DECLARATION_KEYWORDS.includes(t.text)) {
        // the block was never closed: report it where the '}' should have been
        const r = this.last ? this.last.range.end : t.range.start;
        this.report({ start: r, end: r }, `missing '}' to close ${what} before '${t.text}'`, related);
        return { body };
      }
      const stmt = this.parseStatement();
      if (stmt) body.push(stmt);
    }
  }

  private parseStatement(): Stmt | undefined {
    const t = this.cur();
    if (t.kind === 'keyword') {
      switch (t.text) {
        case 'open':
          return this.parseOpen();
        case 'close':
        case 'ioctl': {
          this.advance();
          const fd = this.name('descriptor', `expected a descriptor name after '${t.text}', e.g. ${t.text} f`);
          const stmt = { kind: t.text, fd, range: span(t.range, (this.last ?? t).range) } as Stmt;
          this.endLine(`'${t.text} ${fd.name}'`);
          return stmt;
        }
        case 'lose': {
          this.advance();
          const device = this.name('device', "expected a device name after 'lose', e.g. lose pass0");
          const stmt: Stmt = { kind: 'lose', device, range: span(t.range, (this.last ?? t).range) };
          this.endLine(`'lose ${device.name}'`);
          return stmt;
        }
        case 'repeat':
          return this.parseRepeat();
      }
    }
    const guess = t.kind === 'identifier' ? closestName(t.text, STATEMENT_KEYWORDS) : undefined;
    this.fail(`expected a statement (${STATEMENT_LIST}), found ${describe(t)}` + (guess ? `; did you mean '${guess}'?` : ''));
    this.skipLine();
    this.endLine('');
    return undefined;
  }

  /** `open DEV as FD` */
  private parseOpen(): Stmt {
    const kw = this.advance();
    const device = this.name('device', "expected a device name after 'open', e.g. open pass0 as f", ['as']);
    let fd: Ident;
    if (this.is('as', 'keyword')) {
      this.advance();
      fd = this.name('descriptor', "expected a descriptor name after 'as', e.g. open pass0 as f");
    } else if (this.cur().kind === 'identifier') {
      // `open pass0 f`: report the missing 'as', keep f as the descriptor
      this.fail("expected 'as' after the device name in 'open', e.g. open pass0 as f");
      fd = this.ident(this.advance());
    } else {
      this.fail("expected 'as' after the device name in 'open', e.g. open pass0 as f");
      fd = this.missingIdent();
    }
    const stmt: Stmt = { kind: 'open', device, fd, range: span(kw.range, (this.last ?? kw).range) };
    this.endLine(`'open ${device.name} as ${fd.name}'`);
    return stmt;
  }

  /** `repeat N {` ... `}` */
  private parseRepeat(): RepeatStmt | undefined {
    if (this.blockDepth >= MAX_BLOCK_NESTING) {
      this.fail(`repeat blocks nest too deeply (more than ${MAX_BLOCK_NESTING} levels)`);
      this.skipLine();
      this.endLine('');
      return undefined;
    }
    const kw = this.advance();
    let count = 1;
    let countRange: Range;
    if (this.cur().kind === 'number') {
      const n = this.advance();
      count = n.value as number;
      countRange = n.range;
    } else {
      this.fail("expected a repeat count after 'repeat', e.g. repeat 100 {");
      countRange = this.missingIdent().range;
      if (this.cur().kind === 'error') this.advance();
    }
    this.blockDepth++;
    const block = this.parseBlockAfterHeader('the repeat block', "after the count in 'repeat'", kw);
    this.blockDepth--;
    return { kind: 'repeat', count, countRange, body: block.body, range: span(kw.range, (this.last ?? kw).range) };
  }

  /** `schedule A B*3 A` */
  private parseSchedule(s: Scenario): void {
    const kw = this.advance();
    const entries: ScheduleEntry[] = [];
    if (this.atEol()) this.fail("expected process names after 'schedule', e.g. schedule A B A*2");
    while (!this.atEol() && !this.lineFailed) {
      const t = this.cur();
      if (t.kind !== 'identifier') {
        const hint = t.kind === 'number' && entries.length ? `; write ${entries[entries.length - 1].process.name}*${t.text} to repeat a process` : '';
        this.fail(`expected a process name in 'schedule', found ${describe(t)}${hint}`);
        break;
      }
      this.advance();
      const entry: ScheduleEntry = { process: this.ident(t), times: 1, range: t.range };
      if (this.is('*', 'operator')) {
        const star = this.advance();
        if (this.cur().kind === 'number') {
          const n = this.advance();
          entry.times = n.value as number;
          entry.timesRange = n.range;
          entry.range = span(t.range, n.range);
        } else {
          this.fail(`expected a count after '*', e.g. ${t.text}*3`);
          entry.range = span(t.range, star.range);
        }
      }
      entries.push(entry);
    }
    const d: ScheduleDecl = { kind: 'schedule', entries, range: span(kw.range, (this.last ?? kw).range) };
    if (!s.schedule) s.schedule = d;
    s.items.push(d);
    this.endLine('the schedule');
  }

  /** `expect panic | no panic | deadlock | no deadlock | no use-after-free | no leak | EXPR` */
  private parseExpect(s: Scenario): void {
    const kw = this.advance();
    let d: ExpectDecl | undefined;
    const t = this.cur();
    if (this.atEol()) {
      this.fail(`expected what to expect after 'expect': ${EXPECT_LIST}`);
      d = { kind: 'expect', what: 'expr', range: kw.range };
    } else if (t.kind === 'keyword' && (t.text === 'panic' || t.text === 'deadlock')) {
      this.advance();
      d = { kind: 'expect', what: t.text as 'panic' | 'deadlock', range: span(kw.range, t.range) };
    } else if (t.kind === 'keyword' && t.text === 'no') {
      this.advance();
      const w = this.cur();
      if (w.kind === 'keyword' && ['panic', 'deadlock', 'use-after-free', 'leak'].includes(w.text)) {
        this.advance();
        d = { kind: 'expect', what: `no ${w.text}` as ExpectDecl['what'], range: span(kw.range, w.range) };
      } else {
        this.fail("expected panic, deadlock, use-after-free or leak after 'expect no' (for a condition, write expect !(...))");
        d = { kind: 'expect', what: 'expr', range: span(kw.range, t.range) };
      }
    } else if (t.kind === 'keyword' && (t.text === 'leak' || t.text === 'use-after-free')) {
      this.fail(`write 'expect no ${t.text}': only its absence can be expected`);
      d = { kind: 'expect', what: 'expr', range: span(kw.range, t.range) };
    } else {
      const expr = this.parseExpr();
      d = { kind: 'expect', what: 'expr', range: span(kw.range, (this.last ?? kw).range) };
      if (expr && !this.lineFailed) {
        if (!this.atEol()) {
          this.failAfterExpression();
        } else {
          d.expr = expr;
        }
      }
    }
    s.expectations.push(d);
    s.items.push(d);
    this.endLine('the expectation');
  }

  // ---- expressions ----

  private describeHere(): string {
    return describe(this.cur(), this.expressionOnly);
  }

  /** After a complete expression: anything but the end is an error. */
  private failAfterExpression(): void {
    const t = this.cur();
    if (t.kind === 'operator' && !BINARY_LEVELS.some((ops) => (ops as readonly string[]).includes(t.text))) {
      this.fail(`'${t.text}' is not an operator of expressions (they have || && == != < <= > >= | & + - !)`);
    } else {
      this.fail(`unexpected ${this.describeHere()} after the expression: is an operator missing?`);
    }
  }

  parseWholeExpression(): Expr | undefined {
    if (this.cur().kind === 'eof') {
      this.report(this.cur().range, 'empty expression: write a condition or a value such as pass0.refcount');
      return undefined;
    }
    const e = this.parseExpr();
    if (e && !this.lineFailed && this.cur().kind !== 'eof') this.failAfterExpression();
    return this.diagnostics.length ? undefined : e;
  }

  private parseExpr(): Expr | undefined {
    if (this.exprNesting === 0) this.exprOperators = 0;
    return this.parseBinary(0);
  }

  /** Counts an operator or a '(' against the limits; false (and reported) when over. */
  private within(nesting: boolean): boolean {
    if (++this.exprOperators > MAX_EXPRESSION_OPERATORS) {
      this.fail(`expression too long (more than ${MAX_EXPRESSION_OPERATORS} operators)`);
      return false;
    }
    if (nesting && this.exprNesting >= MAX_EXPRESSION_NESTING) {
      this.fail(`expression nests too deeply (more than ${MAX_EXPRESSION_NESTING} levels)`);
      return false;
    }
    return true;
  }

  private parseBinary(level: number): Expr | undefined {
    if (level === BINARY_LEVELS.length) return this.parseUnary();
    const ops = BINARY_LEVELS[level];
    let left = this.parseBinary(level + 1);
    while (left && this.cur().kind === 'operator' && (ops as readonly string[]).includes(this.cur().text)) {
      if (!this.within(false)) return undefined;
      const op = this.advance().text as BinaryOp;
      const right = this.parseOperand(op, level + 1);
      if (!right) return undefined;
      left = { kind: 'binary', op, left, right, range: span(left.range, right.range) };
    }
    return left;
  }

  /** The right operand of `op`, with a message that names the operator when it is missing. */
  private parseOperand(op: string, level: number): Expr | undefined {
    if (this.atEol()) {
      this.fail(`expected a value after '${op}'`);
      return undefined;
    }
    return level === BINARY_LEVELS.length ? this.parseUnary() : this.parseBinary(level);
  }

  private parseUnary(): Expr | undefined {
    const t = this.cur();
    if (t.kind === 'operator' && (t.text === '!' || t.text === '-')) {
      if (!this.within(true)) return undefined;
      this.advance();
      this.exprNesting++;
      const operand = this.parseOperand(t.text, BINARY_LEVELS.length);
      this.exprNesting--;
      if (!operand) return undefined;
      return { kind: 'unary', op: t.text, operand, range: span(t.range, operand.range) };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): Expr | undefined {
    const t = this.cur();
    if (t.kind === 'number') {
      this.advance();
      return { kind: 'number', value: t.value as number, range: t.range };
    }
    if (t.kind === 'keyword' && (t.text === 'true' || t.text === 'false')) {
      this.advance();
      return { kind: 'bool', value: t.text === 'true', range: t.range };
    }
    if (t.kind === 'identifier') return this.parsePath();
    if (this.is('(', 'punct')) {
      if (!this.within(true)) return undefined;
      this.advance();
      this.exprNesting++;
      const inner = this.parseExpr();
      this.exprNesting--;
      if (!inner) return undefined;
      if (!this.is(')', 'punct')) {
        this.fail(`expected ')' to close the '(', found ${this.describeHere()}`, [{ range: t.range, message: "the unclosed '('" }]);
        return undefined;
      }
      const close = this.advance();
      // keep the parentheses in the range, for hover and selection
      return { ...inner, range: span(t.range, close.range) };
    }
    const what = t.kind === 'keyword' ? `the keyword '${t.text}'` : this.describeHere();
    this.fail(`expected a value (a number, true, false or a name such as pass0.refcount), found ${what}`);
    return undefined;
  }

  /** `a.b.c`: after a dot any word is a field name, keywords included (`A.f.open`). */
  private parsePath(): Expr | undefined {
    const first = this.advance();
    const parts: Ident[] = [this.ident(first)];
    while (this.is('.', 'punct')) {
      this.advance();
      if (!this.isWord()) {
        this.fail(`expected a field name after '.', found ${this.describeHere()}`);
        return undefined;
      }
      parts.push(this.ident(this.advance()));
    }
    return { kind: 'path', parts, range: span(first.range, parts[parts.length - 1].range) };
  }
}
