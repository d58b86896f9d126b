// One completion candidate and the LSP item made of it, for the scenario's
// completion (completion.ts) and a driver's C (cCompletion.ts).

import { InsertTextFormat, MarkupKind, type CompletionItem, type CompletionItemKind, type Range } from 'vscode-languageserver';

export interface Candidate {
  label: string;
  kind: CompletionItemKind;
  detail: string;
  doc: string;
  /** A snippet to insert instead of the label. */
  snippet?: string;
}

/** The item replacing `replace`, kept in the order given (`index`); snippets only if the client takes them. */
export function toItem(c: Candidate, replace: Range, index: number, snippets: boolean): CompletionItem {
  const snippet = snippets ? c.snippet : undefined;
  const item: CompletionItem = {
    label: c.label,
    kind: c.kind,
    detail: c.detail,
    documentation: { kind: MarkupKind.Markdown, value: c.doc },
    sortText: String(index).padStart(4, '0'),
    textEdit: { range: replace, newText: snippet ?? c.label },
  };
  if (snippet) item.insertTextFormat = InsertTextFormat.Snippet;
  return item;
}
