// Document formatting through core/scenario/format: one edit covering only the
// part of the text that changes (clients without their own minimal diff keep
// the cursor and the undo step small), indented as the editor asks (tabs, or
// `tabSize` spaces: the snippets insert tabs, which the editor expands).

import type { FormattingOptions, TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { FORMAT_INDENT, formatScenario } from '../core/scenario/format';

/** One level of indentation as the editor asks: a tab, or `tabSize` spaces. */
function indentUnit(options: Pick<FormattingOptions, 'tabSize' | 'insertSpaces'> | undefined): string {
  if (!options || typeof options !== 'object') return FORMAT_INDENT;
  if (options.insertSpaces === false) return '\t';
  return Number.isInteger(options.tabSize) && options.tabSize > 0 && options.tabSize <= 16 ? ' '.repeat(options.tabSize) : FORMAT_INDENT;
}

export function formatDocument(doc: TextDocument, options?: FormattingOptions): TextEdit[] {
  const text = doc.getText();
  const formatted = formatScenario(text, { indent: indentUnit(options) });
  if (formatted === undefined || formatted === text) return [];
  let start = 0;
  const max = Math.min(text.length, formatted.length);
  while (start < max && text.charCodeAt(start) === formatted.charCodeAt(start)) start++;
  let end = 0;
  while (end < max - start && text.charCodeAt(text.length - 1 - end) === formatted.charCodeAt(formatted.length - 1 - end)) end++;
  // never split a \r\n pair
  while (start > 0 && text.charCodeAt(start - 1) === 13) start--;
  while (end > 0 && text.charCodeAt(text.length - end) === 10) end--;
  return [{
    range: { start: doc.positionAt(start), end: doc.positionAt(text.length - end) },
    newText: formatted.slice(start, formatted.length - end),
  }];
}
