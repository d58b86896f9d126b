// Code actions: switch a before-fix device to after-fix (the quick fix of the
// race warning; with `expect panic`, switching that to `expect no panic` too),
// take a "did you mean" suggestion, and, on what the background check reports,
// flip a failing `expect panic` / `expect no panic`, debug the counterexample, or
// insert it as the scenario's `schedule` line.

import { CodeActionKind, type CodeAction, type Diagnostic, type Range, type TextEdit } from 'vscode-languageserver';
import { Commands, type ScenarioCommandArgs } from '../core/protocol';
import type { ExpectDecl, ExpectKind, Scenario } from '../core/scenario';
import { indexScenario } from '../core/scenario';
import type { DriverDecl } from '../core/scenario/cAst';
import type { DocAnalysis } from './analysis';
import { toLspDiagnostic } from './convert';
import { RaceCodes, type RaceReport } from './raceCheck/report';
import { comparePositions } from './symbols';

/** The kind of the source action that inserts the counterexample anywhere in the file. */
export const INSERT_SCHEDULE_KIND = `${CodeActionKind.Source}.camsim.insertSchedule`;

/** Checker codes whose `data.suggestion` names a replacement for the diagnostic's range. */
const SUGGESTION_CODES = new Set(['unknown-driver', 'unknown-variant', 'undeclared-device', 'unknown-process', 'unopened-descriptor', 'unknown-name', 'unknown-field']);

function overlaps(a: Range, b: Range): boolean {
  return comparePositions(a.start, b.end) <= 0 && comparePositions(b.start, a.end) <= 0;
}

/** The opposite of an outcome expectation: what holds when it fails. */
const FLIPPED: Partial<Record<ExpectKind, ExpectKind>> = { panic: 'no panic', 'no panic': 'panic', deadlock: 'no deadlock', 'no deadlock': 'deadlock' };

function sameDiagnostic(a: Diagnostic, b: Diagnostic): boolean {
  return a.code === b.code && comparePositions(a.range.start, b.range.start) === 0 && comparePositions(a.range.end, b.range.end) === 0;
}

export function codeActions(a: DocAnalysis, range: Range, clientDiagnostics: readonly Diagnostic[], race: RaceReport | undefined, only?: readonly string[]): CodeAction[] {
  const out: CodeAction[] = [];
  const uri = a.uri;
  const edit = (edits: TextEdit[]) => ({ changes: { [uri]: edits } });
  // the client's copy of a diagnostic when it sent one, so that it links the fix to it
  const attach = (d: Diagnostic): Diagnostic => clientDiagnostics.find((c) => sameDiagnostic(c, d)) ?? d;

  for (const core of a.diagnostics) {
    if (!overlaps(core.range, range)) continue;
    const d = toLspDiagnostic(core, uri);
    if (core.code === 'devfs-close-race') {
      const name = typeof core.data?.device === 'string' ? core.data.device : undefined;
      const decl = name ? indexScenario(a.scenario).devices.get(name) : undefined;
      const own = decl ? a.scenario.drivers.find((x) => x.name.name === decl.driver.name) : undefined;
      const trackClose = own && addTrackClose(own);
      if (own && trackClose) {
        out.push({ title: `Add D_TRACKCLOSE to the d_flags of ${own.name.name}`, kind: CodeActionKind.QuickFix, isPreferred: true, diagnostics: [attach(d)], edit: edit([trackClose]) });
        continue;
      }
      if (!decl?.variant) continue;
      const toAfterFix: TextEdit = { range: decl.variant.range, newText: 'after-fix' };
      // Once the only racing device is fixed, the panic the file expects is gone.
      const expectPanic = a.scenario.expectations.find((e) => e.what === 'panic');
      const onlyRace = a.diagnostics.filter((x) => x.code === 'devfs-close-race').length === 1;
      if (expectPanic && onlyRace) {
        out.push({
          title: `Switch ${name} to after-fix (D_TRACKCLOSE) and expect no panic`,
          kind: CodeActionKind.QuickFix,
          isPreferred: true,
          diagnostics: [attach(d)],
          edit: edit([toAfterFix, flipEdit(expectPanic)]),
        });
      }
      out.push({
        title: `Switch ${name} to after-fix (D_TRACKCLOSE)`,
        kind: CodeActionKind.QuickFix,
        isPreferred: !(expectPanic && onlyRace),
        diagnostics: [attach(d)],
        edit: edit([toAfterFix]),
      });
    } else if (SUGGESTION_CODES.has(core.code) && typeof core.data?.suggestion === 'string') {
      const suggestion = core.data.suggestion;
      out.push({
        title: `Change to '${suggestion}'`,
        kind: CodeActionKind.QuickFix,
        isPreferred: true,
        diagnostics: [attach(d)],
        edit: edit([{ range: core.range, newText: suggestion }]),
      });
    }
  }

  if (race) {
    let attached = false;
    for (const d of race.diagnostics) {
      if (!overlaps(d.range, range)) continue;
      const failing = d.code === RaceCodes.expectation ? a.scenario.expectations.find((e) => comparePositions(e.range.start, d.range.start) === 0) : undefined;
      if (failing && FLIPPED[failing.what]) {
        out.push({
          title: `Change to \`expect ${FLIPPED[failing.what]}\``,
          kind: CodeActionKind.QuickFix,
          isPreferred: true,
          diagnostics: [attach(d)],
          edit: edit([flipEdit(failing)]),
        });
      }
      const schedule = (d.data as { schedule?: unknown } | undefined)?.schedule;
      if (typeof schedule !== 'string') continue;
      attached = true;
      const args: ScenarioCommandArgs = { uri, schedule };
      out.push({
        title: `Debug Counterexample: ${schedule}`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [attach(d)],
        command: { title: 'Debug Counterexample', command: Commands.debugCounterexample, arguments: [args] },
      });
      out.push({
        title: `Insert the counterexample: ${schedule}`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [attach(d)],
        edit: edit([scheduleEdit(a.scenario, a.text, schedule)]),
      });
    }
    if (!attached && race.schedule) {
      out.push({
        title: `Insert the background check's counterexample: ${race.schedule}`,
        kind: INSERT_SCHEDULE_KIND,
        edit: edit([scheduleEdit(a.scenario, a.text, race.schedule)]),
      });
    }
  }
  return only?.length ? out.filter((x) => only.some((k) => x.kind === k || x.kind?.startsWith(`${k}.`))) : out;
}

/** `expect panic` <-> `expect no panic` (and the same for deadlock). */
function flipEdit(e: ExpectDecl): TextEdit {
  return { range: e.range, newText: `expect ${FLIPPED[e.what]}` };
}

/** Replaces the `schedule` line, or adds one before the expectations (or at the end). */
export function scheduleEdit(s: Scenario, text: string, schedule: string): TextEdit {
  if (s.schedule) return { range: s.schedule.range, newText: schedule };
  const firstExpect = s.expectations[0];
  if (firstExpect) {
    const at = { line: firstExpect.range.start.line, character: 0 };
    return { range: { start: at, end: at }, newText: `${schedule}\n\n` };
  }
  const lines = text.split(/\r\n|\r|\n/);
  const last = lines.length - 1;
  const end = { line: last, character: lines[last].length };
  return { range: { start: end, end }, newText: `${lines[last].length ? '\n' : ''}${schedule}\n` };
}

/** The edit that gives a driver of the file D_TRACKCLOSE in its d_flags. */
function addTrackClose(d: DriverDecl): TextEdit | undefined {
  if (!d.dFlags) {
    // a line of its own before the first item of the block
    const first = [...d.softcFlags.map((f) => f.range), ...(d.resting ? [d.resting.range] : []), ...d.routines.map((r) => r.range)]
      .sort((x, y) => comparePositions(x.start, y.start))[0];
    if (!first) return undefined;
    return { range: { start: first.start, end: first.start }, newText: `d_flags = D_TRACKCLOSE;\n${' '.repeat(first.start.character)}` };
  }
  const names = d.dFlags.names;
  if (names.length === 0) return { range: d.dFlags.range, newText: 'd_flags = D_TRACKCLOSE' };
  const last = names[names.length - 1].range.end;
  return { range: { start: last, end: last }, newText: ' | D_TRACKCLOSE' };
}
