// Completion: what may come next at the cursor, read from the tokens of the
// line before it and the scenario's declarations. Every item carries its
// documentation.

import {
  CompletionItemKind,
  type CompletionItem,
  type Position,
  type Range,
} from 'vscode-languageserver';
import type { Scenario } from '../core/scenario';
import { DEVICE_OPTIONS, driverNames, KERNEL_OPTIONS, TASKQ_PROCESS, VARIANTS, completePath, indexScenario, tokenize, type PathCompletion, type Token } from '../core/scenario';
import { enclosingProcess } from './cursor';
import { losesDevices, plural, statementCount } from './scenarioFacts';
import { DECLARATION_DOCS, EXPECT_DOCS, EXPECT_NO_DOCS, STATEMENT_DOCS, type KeywordDoc } from './languageDocs';
import { findDriver } from '../core/kernel/drivers';
import { driverMarkdown, variantMarkdown } from './kernelDocs';
import { driverAt, userDriverMarkdown } from './cDriver';
import { toItem, type Candidate } from './completionItem';
import { completeInDriver } from './cCompletion';

/**
 * Characters after which a client should ask for completion without a word typed:
 * after '.' a field, after ':' a driver, after '->' in a driver's C a field, after a space the next word where it is
 * one of a few choices (a variant, `with`, an option, a device, a descriptor, a
 * process, an outcome after `expect no`). Elsewhere a space gets no list.
 */
export const TRIGGER_CHARACTERS = ['.', ':', ' ', '>'];

/** The word being typed ending at the cursor (hyphens inside words included). */
const PARTIAL_WORD = /(?:^|[^\w-])([A-Za-z_][\w-]*)$/;

/**
 * `snippets`: whether the client accepts snippet syntax (placeholders) in completions;
 * `trigger`: the character whose typing asked for completion, if one did.
 */
export function complete(s: Scenario, lineText: string, pos: Position, snippets = false, trigger?: string): CompletionItem[] {
  const before = lineText.slice(0, pos.character);
  const drv = driverAt(s, pos);
  if (drv) return completeInDriver(drv, before, pos, snippets, trigger);
  if (trigger === '>') return [];
  const m = PARTIAL_WORD.exec(before);
  const partial = m ? m[1] : '';
  const replace: Range = { start: { line: pos.line, character: pos.character - partial.length }, end: pos };
  const head = before.slice(0, before.length - partial.length);
  const toks = tokenize(head).filter((t) => t.kind !== 'newline' && t.kind !== 'eof');
  if (toks.some((t) => t.kind === 'comment' || (t.kind === 'error' && typeof t.value === 'string'))) return []; // in a comment or a string
  if (trigger === ' ' && !choiceFollows(toks)) return [];
  const items = candidates(s, toks, pos);
  return items.map((c, i) => toItem(c, replace, i, snippets));
}


function keyword(d: KeywordDoc, snippet?: string): Candidate {
  return { label: d.label, kind: CompletionItemKind.Keyword, detail: d.detail, doc: d.doc, snippet };
}

const DECLARATION_SNIPPETS: Record<string, string> = {
  scenario: 'scenario "${1:title}"',
  get device() { return `device \${1:pass0}: \${2|${driverNames().join(',')}|} \${3|${VARIANTS.join(',')}|}`; },
  process: 'process ${1:A} {\n\t$0\n}',
  driver: 'driver ${1:mypass} {\n\td_flags = ${2|D_TRACKCLOSE,0|};\n\tresting = 1;\n\n\td_open {\n\t\t$0\n\t\treturn (0);\n\t}\n\td_close {\n\t\treturn (0);\n\t}\n}',
};
const STATEMENT_SNIPPETS: Record<string, string> = {
  open: 'open ${1:device} as ${2:f}',
  repeat: 'repeat ${1:2} {\n\t$0\n}',
};

/**
 * Whether the word after the tokens of the line is one of a few choices, so that
 * typing a space may open the list: not at the start of a line (every keyword),
 * nor in an expression (every name), only after `expect no`.
 */
function choiceFollows(toks: Token[]): boolean {
  const first = toks[0];
  if (!first || first.kind !== 'keyword') return false;
  if (first.text !== 'expect') return true;
  return toks.length === 2 && toks[1].kind === 'keyword' && toks[1].text === 'no';
}

function candidates(s: Scenario, toks: Token[], pos: Position): Candidate[] {
  const first = toks[0];
  if (toks.length === 0) {
    if (enclosingProcess(s, pos)) return STATEMENT_DOCS.map((d) => keyword(d, STATEMENT_SNIPPETS[d.label]));
    return DECLARATION_DOCS.map((d) => keyword(d, DECLARATION_SNIPPETS[d.label]));
  }
  if (first.kind !== 'keyword') return [];
  const ix = indexScenario(s);
  switch (first.text) {
    case 'device':
      return deviceCandidates(toks, s);
    case 'kernel':
      return toks.length === 1 ? KERNEL_OPTIONS.map((o) => ({ label: o.name, kind: CompletionItemKind.EnumMember, detail: 'kernel option', doc: o.doc })) : [];
    case 'schedule': {
      const last = toks[toks.length - 1];
      if (last.kind === 'operator') return []; // after `A*`: a count
      const out = [...ix.processes.keys()].map((name) => processCandidate(s, name));
      if (losesDevices(s) && !ix.processes.has(TASKQ_PROCESS)) {
        out.push({ label: TASKQ_PROCESS, kind: CompletionItemKind.Function, detail: 'the taskqueue thread', doc: 'The kernel thread (taskqueue_swi_giant) that runs scheduled cdev destructions; a scenario that loses a device has it.' });
      }
      return out;
    }
    case 'expect':
      return expectCandidates(s, toks);
    case 'open':
      if (toks.length === 1) return declaredDevices(s);
      if (toks.length === 2 && toks[1].kind === 'identifier') return [{ label: 'as', kind: CompletionItemKind.Keyword, detail: 'open DEVICE as FD', doc: 'Names the descriptor this open returns.' }];
      return [];
    case 'lose':
      return toks.length === 1 ? declaredDevices(s) : [];
    case 'close':
    case 'ioctl': {
      if (toks.length !== 1) return [];
      const p = enclosingProcess(s, pos);
      const fds = p?.name.name ? ix.descriptors.get(p.name.name) : undefined;
      if (!fds || ix.processes.get(p!.name.name) !== p) return [];
      return [...fds.values()].map((open) => ({
        label: open.fd.name,
        kind: CompletionItemKind.Variable,
        detail: `descriptor on ${open.device.name}`,
        doc: `The descriptor \`${open.fd.name}\` that \`${open.range.start.line + 1}: open ${open.device.name} as ${open.fd.name}\` returns.`,
      }));
    }
    default:
      return [];
  }
}

function processCandidate(s: Scenario, name: string): Candidate {
  const p = indexScenario(s).processes.get(name)!;
  return { label: name, kind: CompletionItemKind.Function, detail: 'process', doc: `Process \`${name}\` (line ${p.range.start.line + 1}, ${plural(statementCount(p.body), 'statement')}): runs to its next scheduling point.` };
}

function declaredDevices(s: Scenario): Candidate[] {
  return [...indexScenario(s).devices.values()].map((d) => {
    const variant = d.variant?.name ?? 'after-fix';
    const model = findDriver(d.driver.name);
    return {
      label: d.name.name,
      kind: CompletionItemKind.Variable,
      detail: s.drivers.some((u) => u.name.name === d.driver.name) ? `device: ${d.driver.name} (driver of this file)` : `device: ${d.driver.name} ${variant}`,
      doc: model ? `${model.doc}\n\n${model.variants[variant === 'before-fix' ? 'before-fix' : 'after-fix'].summary}` : `device ${d.name.name}`,
    };
  });
}

/** `device NAME: DRIVER VARIANT with OPTION ...` */
function deviceCandidates(toks: Token[], s: Scenario): Candidate[] {
  const colon = toks.findIndex((t) => t.kind === 'punct' && t.text === ':');
  if (colon < 0) return [];
  const after = toks.slice(colon + 1);
  const withAt = after.findIndex((t) => t.kind === 'keyword' && t.text === 'with');
  const driver = after[0]?.text;
  if (withAt >= 0) {
    return DEVICE_OPTIONS.filter((o) => !driver || !driverNames().includes(driver) || o.drivers.includes(driver)).map((o) => ({
      label: o.name, kind: CompletionItemKind.EnumMember, detail: `device option (${o.drivers.join(', ')})`, doc: o.doc,
    }));
  }
  if (after.length === 0) {
    return [
      ...driverNames().map((d) => ({ label: d, kind: CompletionItemKind.Class, detail: findDriver(d)?.source ?? 'driver', doc: driverMarkdown(d) })),
      ...s.drivers.filter((d) => d.name.name && !driverNames().includes(d.name.name)).map((d) => ({ label: d.name.name, kind: CompletionItemKind.Class, detail: 'driver of this file', doc: userDriverMarkdown(d) })),
    ];
  }
  const withItem: Candidate = { label: 'with', kind: CompletionItemKind.Keyword, detail: 'with OPTION', doc: "Device options, e.g. `with io-error` (the driver's SCSI I/O during open fails)." };
  const known = driverNames().includes(driver) ? driver : undefined;
  if (after.length === 1 && s.drivers.some((d) => d.name.name === driver)) return [withItem]; // a driver of this file has no variants
  if (after.length === 1) {
    return [
      ...VARIANTS.map((v) => ({ label: v, kind: CompletionItemKind.EnumMember, detail: v === 'after-fix' ? 'with D_TRACKCLOSE (the default)' : 'before D_TRACKCLOSE (2011)', doc: variantMarkdown(known, v) })),
      withItem,
    ];
  }
  return after.length === 2 ? [withItem] : [];
}

function expectCandidates(s: Scenario, toks: Token[]): Candidate[] {
  const rest = toks.slice(1);
  if (rest.length === 0) {
    return [...EXPECT_DOCS.map((d) => keyword(d)), ...completePath([], s).map(pathCandidate)];
  }
  if (rest.length === 1 && rest[0].text === 'no' && rest[0].kind === 'keyword') return EXPECT_NO_DOCS.map((d) => keyword(d));
  const last = rest[rest.length - 1];
  if (last.kind === 'punct' && last.text === '.') {
    // walk back over `a.b.` to collect the path before the dot
    const parts: string[] = [];
    let i = rest.length - 1;
    while (i >= 1 && rest[i].kind === 'punct' && rest[i].text === '.' && (rest[i - 1].kind === 'identifier' || rest[i - 1].kind === 'keyword')) {
      parts.unshift(rest[i - 1].text);
      i -= 2;
    }
    return parts.length ? completePath(parts, s).map(pathCandidate) : [];
  }
  // after an operator or '(' a value may start
  if (last.kind === 'operator' || (last.kind === 'punct' && last.text === '(')) return completePath([], s).map(pathCandidate);
  return [];
}

const PATH_KINDS: Record<PathCompletion['kind'], CompletionItemKind> = {
  device: CompletionItemKind.Variable,
  process: CompletionItemKind.Function,
  descriptor: CompletionItemKind.Variable,
  lock: CompletionItemKind.Property,
  field: CompletionItemKind.Field,
  constant: CompletionItemKind.Constant,
  none: CompletionItemKind.Value,
};

function pathCandidate(c: PathCompletion): Candidate {
  return { label: c.name, kind: PATH_KINDS[c.kind], detail: c.detail, doc: c.doc };
}

