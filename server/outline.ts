// The outline (document symbols) and folding ranges of a scenario.

import { FoldingRangeKind, SymbolKind, type DocumentSymbol, type FoldingRange, type Range } from 'vscode-languageserver';
import type { ExpectDecl, Scenario, Stmt } from '../core/scenario';

function nonEmpty(r: Range, fallback: Range): Range {
  return r.start.line === r.end.line && r.start.character === r.end.character ? fallback : r;
}

function sym(name: string, detail: string, kind: SymbolKind, range: Range, selectionRange: Range, children?: DocumentSymbol[]): DocumentSymbol {
  const s: DocumentSymbol = { name: name || '(unnamed)', detail, kind, range, selectionRange };
  if (children && children.length) s.children = children;
  return s;
}

function statementSymbols(body: readonly Stmt[]): DocumentSymbol[] {
  return body.map((st) => {
    switch (st.kind) {
      case 'open':
        return sym(`open ${st.device.name} as ${st.fd.name}`, 'open(2)', SymbolKind.Event, st.range, nonEmpty(st.fd.range, st.range));
      case 'close':
      case 'ioctl':
        return sym(`${st.kind} ${st.fd.name}`, `${st.kind}(2)`, SymbolKind.Event, st.range, nonEmpty(st.fd.range, st.range));
      case 'lose':
        return sym(`lose ${st.device.name}`, 'AC_LOST_DEVICE', SymbolKind.Event, st.range, nonEmpty(st.device.range, st.range));
      case 'repeat':
        return sym(`repeat ${st.count}`, `${st.body.length} statement${st.body.length === 1 ? '' : 's'}`, SymbolKind.Array, st.range, st.countRange.start.character === st.countRange.end.character ? st.range : st.countRange, statementSymbols(st.body));
    }
  });
}

function expectName(e: ExpectDecl, lines: readonly string[]): string {
  if (e.what !== 'expr') return `expect ${e.what}`;
  const { start, end } = e.range;
  return start.line === end.line ? (lines[start.line] ?? '').slice(start.character, end.character).trim() : 'expect';
}

export function documentSymbols(s: Scenario, text: string): DocumentSymbol[] {
  const lines = text.split(/\r\n|\r|\n/);
  const out: DocumentSymbol[] = [];
  for (const item of s.items) {
    switch (item.kind) {
      case 'scenario':
        out.push(sym(item.text || 'scenario', 'scenario', SymbolKind.File, item.range, item.textRange ?? item.range));
        break;
      case 'kernel':
        out.push(sym(`kernel ${item.option.name}`, 'kernel option', SymbolKind.Property, item.range, nonEmpty(item.option.range, item.range)));
        break;
      case 'device':
        out.push(sym(item.name.name, s.drivers.some((d) => d.name.name === item.driver.name) ? `${item.driver.name} (driver of this file)` : `${item.driver.name} ${item.variant?.name ?? 'after-fix'}`, SymbolKind.Object, item.range, nonEmpty(item.name.range, item.range)));
        break;
      case 'process':
        out.push(sym(item.name.name, 'process', SymbolKind.Function, item.range, nonEmpty(item.name.range, item.range), statementSymbols(item.body)));
        break;
      case 'schedule':
        out.push(sym('schedule', item.entries.map((e) => (e.times > 1 ? `${e.process.name}*${e.times}` : e.process.name)).join(' '), SymbolKind.Event, item.range, item.range));
        break;
      case 'expect':
        out.push(sym(expectName(item, lines), 'expectation', SymbolKind.Boolean, item.range, item.range));
        break;
      case 'driver': {
        const routines = item.routines.map((r) => sym(r.kind, 'routine', SymbolKind.Method, r.range, r.name.range));
        const flags = item.softcFlags.map((f) => sym(f.name.name, `0x${f.value.toString(16)}`, SymbolKind.EnumMember, f.range, f.name.range));
        out.push(sym(item.name.name, 'driver', SymbolKind.Class, item.range, nonEmpty(item.name.range, item.range), [...flags, ...routines]));
        break;
      }
    }
  }
  return out;
}

export function foldingRanges(s: Scenario, text: string): FoldingRange[] {
  const lines = text.split(/\r\n|\r|\n/);
  const out: FoldingRange[] = [];
  const block = (startLine: number, closeLine: number | undefined, lastLine: number): void => {
    // the closing brace stays visible
    const end = closeLine !== undefined ? closeLine - 1 : lastLine;
    if (end > startLine) out.push({ startLine, endLine: end, kind: FoldingRangeKind.Region });
  };
  const visit = (body: readonly Stmt[]): void => {
    for (const st of body) {
      if (st.kind !== 'repeat') continue;
      const last = st.body.length ? st.body[st.body.length - 1].range.end.line : st.range.start.line;
      const closed = st.range.end.line > last;
      block(st.range.start.line, closed ? st.range.end.line : undefined, last);
      visit(st.body);
    }
  };
  for (const p of s.processes) {
    block(p.range.start.line, p.closeRange?.start.line, p.range.end.line);
    visit(p.body);
  }
  // driver blocks and their routines (the range ends at the closing brace)
  for (const d of s.drivers) {
    block(d.range.start.line, d.range.end.line, d.range.end.line);
    for (const r of d.routines) block(r.range.start.line, r.range.end.line, r.range.end.line);
  }
  // runs of two or more whole-line comments
  let runStart = -1;
  let prev = -2;
  const flush = (): void => {
    if (runStart >= 0 && prev > runStart) out.push({ startLine: runStart, endLine: prev, kind: FoldingRangeKind.Comment });
  };
  for (const c of s.comments) {
    const whole = (lines[c.range.start.line] ?? '').slice(0, c.range.start.character).trim() === '';
    if (!whole) continue;
    const line = c.range.start.line;
    if (line !== prev + 1) {
      flush();
      runStart = line;
    }
    prev = line;
  }
  flush();
  out.sort((a, b) => a.startLine - b.startLine);
  return out;
}
