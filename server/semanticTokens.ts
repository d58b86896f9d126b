// Semantic tokens: the lexer's tokens, with names classified by what they
// denote (a device, a process, a descriptor, a driver, a variant, a field, a
// constant) and declarations marked.

import { SemanticTokensBuilder, type SemanticTokens, type SemanticTokensLegend } from 'vscode-languageserver';
import type { Ident, Scenario } from '../core/scenario';
import { lookupPath, tokenize, visitPaths } from '../core/scenario';
import type { Occurrence } from './symbols';
import { findDriverRegions, maskDrivers, type DriverRegion } from '../core/scenario/c/regions';
import { tokenizeC } from '../core/scenario/c/lexer';
import { cConstant } from '../core/scenario/c/names';
import { kernelCall } from '../core/kernel/kernelCalls';

export const TOKEN_TYPES = [
  'keyword',
  'variable', // devices
  'function', // processes
  'parameter', // descriptors
  'type', // drivers
  'enumMember', // variants, options, constants
  'property', // fields and locks
  'number',
  'string',
  'comment',
  'operator',
] as const;
export const TOKEN_MODIFIERS = ['declaration', 'readonly', 'defaultLibrary'] as const;

export const SEMANTIC_LEGEND: SemanticTokensLegend = { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [...TOKEN_MODIFIERS] };

type TokenType = (typeof TOKEN_TYPES)[number];
type Modifier = (typeof TOKEN_MODIFIERS)[number];

interface Classified {
  type: TokenType;
  modifiers: Modifier[];
}

const key = (line: number, character: number): string => `${line}:${character}`;

function roles(s: Scenario, occurrences: readonly Occurrence[]): Map<string, Classified> {
  const out = new Map<string, Classified>();
  const set = (id: Ident, type: TokenType, modifiers: Modifier[] = []): void => {
    if (id.name) out.set(key(id.range.start.line, id.range.start.character), { type, modifiers });
  };
  for (const d of s.devices) {
    set(d.driver, 'type');
    if (d.variant) set(d.variant, 'enumMember');
    for (const o of d.options) set(o, 'enumMember');
  }
  for (const k of s.kernelOptions) set(k.option, 'enumMember');
  for (const e of s.expectations) {
    if (!e.expr) continue;
    visitPaths(e.expr, (parts) => {
      const names = parts.map((p) => p.name);
      for (let i = 0; i < parts.length; i++) {
        const t = lookupPath(names.slice(0, i + 1), s);
        if (t.kind === 'error') break;
        if (t.kind === 'constant' || t.kind === 'none') set(parts[i], 'enumMember', ['readonly', 'defaultLibrary']);
        else if (t.kind === 'lock' && i === 0) set(parts[i], 'variable', ['defaultLibrary']);
        else if (t.kind === 'lock' || t.kind.endsWith('-field')) set(parts[i], 'property', t.kind === 'lock' ? ['defaultLibrary'] : []);
      }
    });
  }
  const TYPE_OF = { device: 'variable', process: 'function', descriptor: 'parameter', driver: 'type', flag: 'enumMember' } as const;
  for (const o of occurrences) {
    out.set(key(o.range.start.line, o.range.start.character), { type: TYPE_OF[o.ref.kind], modifiers: o.declaration ? ['declaration'] : [] });
  }
  return out;
}

const LEXER_TYPES: Partial<Record<string, TokenType>> = {
  keyword: 'keyword',
  number: 'number',
  string: 'string',
  comment: 'comment',
  operator: 'operator',
};

interface Emitted {
  line: number;
  character: number;
  length: number;
  type: TokenType;
  modifiers: readonly Modifier[];
}

export function semanticTokens(text: string, s: Scenario, occurrences: readonly Occurrence[]): SemanticTokens {
  const byPosition = roles(s, occurrences);
  const regions = findDriverRegions(text);
  const all: Emitted[] = [];
  for (const t of tokenize(maskDrivers(text, regions))) {
    const c = t.kind === 'identifier' || t.kind === 'keyword' ? byPosition.get(key(t.range.start.line, t.range.start.character)) : undefined;
    const type = c?.type ?? LEXER_TYPES[t.kind];
    if (!type || t.end === t.start) continue;
    all.push({ line: t.range.start.line, character: t.range.start.character, length: t.end - t.start, type, modifiers: c?.modifiers ?? [] });
  }
  for (const r of regions) cTokens(text, r, byPosition, all);
  all.sort((a, b) => a.line - b.line || a.character - b.character);
  const builder = new SemanticTokensBuilder();
  for (const e of all) {
    let mods = 0;
    for (const m of e.modifiers) mods |= 1 << TOKEN_MODIFIERS.indexOf(m);
    builder.push(e.line, e.character, e.length, TOKEN_TYPES.indexOf(e.type), mods);
  }
  return builder.build();
}

const C_KEYWORDS = new Set(['int', 'if', 'else', 'return', 'goto', 'driver', 'd_flags', 'softc_flags', 'resting', 'd_open', 'd_close', 'oninvalidate', 'devgonecb']);

/** The tokens of a driver block: C words classified, comments split per line. */
function cTokens(text: string, region: DriverRegion, byPosition: Map<string, Classified>, out: Emitted[]): void {
  const { tokens, comments } = tokenizeC(text, region);
  let prev: string | undefined;
  for (const t of tokens) {
    const at = { line: t.range.start.line, character: t.range.start.character, length: t.end - t.start };
    if (t.kind === 'word') {
      const c = byPosition.get(key(at.line, at.character));
      if (c) out.push({ ...at, ...c });
      else if (prev === '->') out.push({ ...at, type: 'property', modifiers: [] });
      else if (C_KEYWORDS.has(t.text)) out.push({ ...at, type: 'keyword', modifiers: [] });
      else if (kernelCall(t.text)) out.push({ ...at, type: 'function', modifiers: ['defaultLibrary'] });
      else if (t.text === 'periph' || t.text === 'softc' || t.text === 'Giant') out.push({ ...at, type: 'variable', modifiers: ['defaultLibrary'] });
      else if (cConstant(t.text) !== undefined) out.push({ ...at, type: 'enumMember', modifiers: ['readonly', 'defaultLibrary'] });
      else out.push({ ...at, type: 'variable', modifiers: [] });
    } else if (t.kind === 'number') out.push({ ...at, type: 'number', modifiers: [] });
    else if (t.kind === 'op') out.push({ ...at, type: 'operator', modifiers: [] });
    prev = t.text;
  }
  for (const c of comments) {
    // one token per line: not every client takes multi-line tokens
    const parts = c.text.split(/\r\n|\r|\n/);
    parts.forEach((part, i) => {
      if (part.length) out.push({ line: c.range.start.line + i, character: i === 0 ? c.range.start.character : 0, length: part.length, type: 'comment', modifiers: [] });
    });
  }
}
