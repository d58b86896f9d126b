// The parameters of the requests and notifications the server handles, checked
// where they come in: a client that sends `rename {}`, a completion without
// parameters or a document whose text is a number gets InvalidParams (and the
// server logs one line), instead of a handler failing somewhere inside.
// Each check returns its input, typed, once it has the shape LSP prescribes for
// the fields the server reads; positions outside the document are the handlers'
// to clamp.

import type {
  CodeActionParams,
  CompletionParams,
  DidChangeTextDocumentParams,
  DidCloseTextDocumentParams,
  DidOpenTextDocumentParams,
  Position,
  Range,
  ReferenceParams,
  RenameParams,
  TextDocumentPositionParams,
} from 'vscode-languageserver';

/** What is wrong with the parameters, as a field path and the rule it breaks. */
export class InvalidParams extends Error {}

type Fields = Record<string, unknown>;

function object(v: unknown, at: string): Fields {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new InvalidParams(`${at} must be an object`);
  return v as Fields;
}

function string(v: unknown, at: string): string {
  if (typeof v !== 'string') throw new InvalidParams(`${at} must be a string`);
  return v;
}

function number(v: unknown, at: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new InvalidParams(`${at} must be a number`);
  return v;
}

function integer(v: unknown, at: string): number {
  if (!Number.isSafeInteger(v)) throw new InvalidParams(`${at} must be a whole number`);
  return v as number;
}

function array(v: unknown, at: string): unknown[] {
  if (!Array.isArray(v)) throw new InvalidParams(`${at} must be an array`);
  return v;
}

function position(v: unknown, at: string): Position {
  const p = object(v, at);
  number(p.line, `${at}.line`);
  number(p.character, `${at}.character`);
  return p as unknown as Position;
}

function range(v: unknown, at: string): Range {
  const r = object(v, at);
  position(r.start, `${at}.start`);
  position(r.end, `${at}.end`);
  return r as unknown as Range;
}

function document(p: Fields): void {
  string(object(p.textDocument, 'textDocument').uri, 'textDocument.uri');
}

/** Parameters that name a document: `textDocument.uri`. */
export function documentParams<P>(v: unknown): P {
  document(object(v, 'params'));
  return v as P;
}

/** A document and a position in it (hover, definition, highlights, prepareRename). */
export function positionParams<P extends TextDocumentPositionParams>(v: unknown): P {
  const p = object(v, 'params');
  document(p);
  position(p.position, 'position');
  return v as P;
}

export function completionParams(v: unknown): CompletionParams {
  const p = positionParams<CompletionParams>(v);
  if (p.context !== undefined) {
    const c = object(p.context, 'context');
    integer(c.triggerKind, 'context.triggerKind');
    if (c.triggerCharacter !== undefined) string(c.triggerCharacter, 'context.triggerCharacter');
  }
  return p;
}

export function referenceParams(v: unknown): ReferenceParams {
  const p = positionParams<ReferenceParams>(v);
  if (p.context !== undefined && p.context !== null) {
    const c = object(p.context, 'context');
    if (c.includeDeclaration !== undefined && typeof c.includeDeclaration !== 'boolean') throw new InvalidParams('context.includeDeclaration must be true or false');
  }
  return p;
}

export function renameParams(v: unknown): RenameParams {
  const p = positionParams<RenameParams>(v);
  string(p.newName, 'newName');
  return p;
}

export function codeActionParams(v: unknown): CodeActionParams {
  const p = object(v, 'params');
  document(p);
  range(p.range, 'range');
  const c = object(p.context, 'context');
  array(c.diagnostics, 'context.diagnostics').forEach((d, i) => {
    const x = object(d, `context.diagnostics[${i}]`);
    range(x.range, `context.diagnostics[${i}].range`);
    string(x.message, `context.diagnostics[${i}].message`);
    if (x.code !== undefined && typeof x.code !== 'string' && typeof x.code !== 'number') throw new InvalidParams(`context.diagnostics[${i}].code must be a string or a number`);
  });
  if (c.only !== undefined) array(c.only, 'context.only').forEach((k, i) => string(k, `context.only[${i}]`));
  return v as CodeActionParams;
}

export function didOpenParams(v: unknown): DidOpenTextDocumentParams {
  const td = object(object(v, 'params').textDocument, 'textDocument');
  string(td.uri, 'textDocument.uri');
  string(td.languageId, 'textDocument.languageId');
  integer(td.version, 'textDocument.version');
  string(td.text, 'textDocument.text');
  return v as DidOpenTextDocumentParams;
}

export function didChangeParams(v: unknown): DidChangeTextDocumentParams {
  const p = object(v, 'params');
  const td = object(p.textDocument, 'textDocument');
  string(td.uri, 'textDocument.uri');
  integer(td.version, 'textDocument.version');
  array(p.contentChanges, 'contentChanges').forEach((c, i) => {
    const x = object(c, `contentChanges[${i}]`);
    string(x.text, `contentChanges[${i}].text`);
    if (x.range !== undefined) range(x.range, `contentChanges[${i}].range`);
  });
  return v as DidChangeTextDocumentParams;
}

export function didCloseParams(v: unknown): DidCloseTextDocumentParams {
  return documentParams<DidCloseTextDocumentParams>(v);
}

/** workspace/executeCommand of a server command: its id and one `{ uri }` argument. */
export function executeCommandParams(v: unknown, known: readonly string[]): { command: string; uri: string } {
  const p = object(v, 'params');
  const command = string(p.command, 'command');
  if (!known.includes(command)) throw new InvalidParams(`unknown command '${command}' (this server runs ${known.join(', ')})`);
  const args = p.arguments;
  if (!Array.isArray(args) || args.length !== 1) throw new InvalidParams('arguments must be one object: [{ "uri": "file:///..." }]');
  return { command, uri: string(object(args[0], 'arguments[0]').uri, 'arguments[0].uri') };
}
