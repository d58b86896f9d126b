// Completion in the debug console: the names of the expression language after
// what is typed (`pass0.` gives the device's fields and locks), and the console
// commands at the start of a line.

import type { Scenario } from '../../core/scenario/ast';
import { completePath, type PathCompletion } from '../../core/scenario/paths';

export interface CompletionView {
  label: string;
  /** 0-based offset in the text where the completed word starts. */
  start: number;
  /** How many characters of the text it replaces. */
  length: number;
  detail: string;
  kind: PathCompletion['kind'] | 'command';
}

export const CONSOLE_COMMANDS = [
  { name: 'why', detail: 'why PATH: the steps that wrote a value, newest first (e.g. why pass0.refcount)' },
  { name: 'help', detail: 'what the console understands' },
];

/** Completions for `text` with the cursor at 0-based `offset`. */
export function complete(text: string, offset: number, scenario: Scenario, process?: string): CompletionView[] {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const word = /[A-Za-z0-9_.-]*$/.exec(before)![0];
  const start = before.length - word.length;
  const parts = word.split('.');
  const partial = parts.pop() ?? '';
  const partialStart = before.length - partial.length;
  const lower = partial.toLowerCase();
  const out: CompletionView[] = [];
  if (parts.length === 0 && before.slice(0, start).trim() === '') {
    for (const c of CONSOLE_COMMANDS) {
      if (c.name.startsWith(lower)) out.push({ label: c.name, start: partialStart, length: partial.length, detail: c.detail, kind: 'command' });
    }
  }
  for (const c of completePath(parts, scenario, { process })) {
    if (c.name.toLowerCase().startsWith(lower)) out.push({ label: c.name, start: partialStart, length: partial.length, detail: c.detail, kind: c.kind });
  }
  return out;
}
