// Semantic tokens: the lexer's tokens, with names classified by what they
// denote (a device, a process, a descriptor, a driver, a variant, a field, a
// constant) and declarations marked.

import { SemanticTokensBuilder, type SemanticTokens, type SemanticTokensLegend } from 'vscode-languageserver';
import type { Ident, Scenario } from '../core/scenario';
import { lookupPath, tokenize, visitPaths } from '../core/scenario';
import type { Occurrence } from './symbols';

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
  const TYPE_OF = { device: 'variable', process: 'function', descriptor: 'parameter' } as const;
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

export function semanticTokens(text: string, s: Scenario, occurrences: readonly Occurrence[]): SemanticTokens {
  const byPosition = roles(s, occurrences);
  const builder = new SemanticTokensBuilder();
  for (const t of tokenize(text)) {
    const c = t.kind === 'identifier' || t.kind === 'keyword' ? byPosition.get(key(t.range.start.line, t.range.start.character)) : undefined;
    const type = c?.type ?? LEXER_TYPES[t.kind];
    if (!type || t.end === t.start) continue;
    let mods = 0;
    for (const m of c?.modifiers ?? []) mods |= 1 << TOKEN_MODIFIERS.indexOf(m);
    builder.push(t.range.start.line, t.range.start.character, t.end - t.start, TOKEN_TYPES.indexOf(type), mods);
  }
  return builder.build();
}
