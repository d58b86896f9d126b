// Hover: drivers and variants (what their open and close do, D_TRACKCLOSE or
// not, the FreeBSD file), statements (the kernel path they run), expression
// names (meaning and kernel name), declared names and keywords.

import { MarkupKind, type Hover, type Position, type Range } from 'vscode-languageserver';
import type { Scenario, Variant } from '../core/scenario';
import { DEVICE_OPTIONS, KERNEL_OPTIONS, TASKQ_PROCESS, indexScenario, lookupPath, tokenize, type PathTarget } from '../core/scenario';
import { deviceDeclAt, pathPartAt, statementAt } from './cursor';
import { findDriver } from '../core/kernel/drivers';
import { driverMarkdown, isDriver, isVariant, statementMarkdown, variantMarkdown } from './kernelDocs';
import { EXPECT_DOCS, keywordDoc } from './languageDocs';
import { occurrenceAt, touches, type SymbolRef } from './symbols';
import type { DocAnalysis } from './analysis';
import { losesDevices, plural, statementCount } from './scenarioFacts';
import { cNodeAt, cNodeMarkdown, driverAt, userDriverMarkdown } from './cDriver';

export function hover(a: DocAnalysis, lineText: string, pos: Position): Hover | null {
  const s = a.scenario;
  const md = (value: string, range?: Range): Hover => (range ? { contents: { kind: MarkupKind.Markdown, value }, range } : { contents: { kind: MarkupKind.Markdown, value } });

  // inside a driver written in C
  const drv = driverAt(s, pos);
  if (drv) {
    const node = cNodeAt(drv, pos);
    const text = node && cNodeMarkdown(drv, node);
    const range = node && (node.kind === 'call' ? node.id.range : node.range);
    return text ? md(text, range) : null;
  }

  // a name inside an expectation: each prefix of the path means something
  const path = pathPartAt(s, pos);
  if (path) {
    const names = path.parts.map((p) => p.name);
    const target = lookupPath(names.slice(0, path.index + 1), s);
    return md(pathMarkdown(names.slice(0, path.index + 1).join('.'), target, s), path.parts[path.index].range);
  }

  const occ = occurrenceAt(a.occurrences, pos);
  if (occ) return md(symbolMarkdown(s, occ.ref), occ.range);

  const dev = deviceDeclAt(s, pos);
  if (dev) {
    const declared: Variant = dev.variant && isVariant(dev.variant.name) ? dev.variant.name : 'after-fix';
    const driver = isDriver(dev.driver.name) ? dev.driver.name : undefined;
    const own = s.drivers.find((u) => u.name.name === dev.driver.name);
    if (own && touches(dev.driver.range, pos)) return md(userDriverMarkdown(own), dev.driver.range);
    if (dev.driver.name && touches(dev.driver.range, pos) && driver) return md(driverMarkdown(driver, declared), dev.driver.range);
    if (dev.variant && touches(dev.variant.range, pos) && isVariant(dev.variant.name)) return md(variantMarkdown(driver, dev.variant.name), dev.variant.range);
    const opt = dev.options.find((o) => touches(o.range, pos));
    const info = opt && DEVICE_OPTIONS.find((o) => o.name === opt.name);
    if (opt && info) return md(`**with ${info.name}** — ${info.doc} (drivers: ${info.drivers.join(', ')})`, opt.range);
  }

  for (const k of s.kernelOptions) {
    const info = KERNEL_OPTIONS.find((o) => o.name === k.option.name);
    if (info && touches(k.option.range, pos)) return md(`**kernel ${info.name}** — ${info.doc}`, k.option.range);
  }

  const st = statementAt(s, pos);
  if (st) {
    const stmt = st.stmt;
    let device: { name: string; driver: string; variant: Variant } | undefined;
    const devName = stmt.kind === 'open' || stmt.kind === 'lose' ? stmt.device.name : stmt.kind === 'close' || stmt.kind === 'ioctl' ? openedDevice(s, st.process.name.name, stmt.fd.name) : undefined;
    const decl = devName ? indexScenario(s).devices.get(devName) : undefined;
    if (decl && isDriver(decl.driver.name)) {
      const variant = decl.variant && isVariant(decl.variant.name) ? decl.variant.name : 'after-fix';
      device = { name: decl.name.name, driver: decl.driver.name, variant };
    }
    return md(statementMarkdown(stmt, { device }), stmt.kind === 'repeat' ? undefined : stmt.range);
  }

  const word = wordAt(lineText, pos);
  if (!word) return null;
  const expect = s.expectations.find((e) => touches(e.range, pos));
  if (expect && expect.what !== 'expr' && word.text !== 'expect') {
    const d = EXPECT_DOCS.find((x) => x.label === expect.what);
    if (d) return md(`**expect ${d.label}** — ${d.doc}`, expect.range);
  }
  const kw = word.kind === 'keyword' ? keywordDoc(word.text) : undefined;
  if (kw) return md(`**${kw.label}** \`${kw.detail}\`\n\n${kw.doc}`, word.range);
  if (word.kind === 'identifier' && word.text === TASKQ_PROCESS && losesDevices(s)) {
    return md(`**${TASKQ_PROCESS}** — the kernel thread of taskqueue_swi_giant (with Giant held), which runs the scheduled destruction of a lost device's cdev (\`destroy_dev_tq\`). In a \`schedule\`, it can be named like a process.`, word.range);
  }
  if (word.kind === 'identifier' && isDriver(word.text)) return md(driverMarkdown(word.text), word.range);
  if (word.kind === 'identifier' && isVariant(word.text)) return md(variantMarkdown(undefined, word.text), word.range);
  return null;
}

/** The device a process's descriptor was opened on (its first open). */
function openedDevice(s: Scenario, proc: string, fd: string): string | undefined {
  return indexScenario(s).descriptors.get(proc)?.get(fd)?.device.name;
}

function wordAt(lineText: string, pos: Position): { text: string; kind: string; range: Range } | undefined {
  for (const t of tokenize(lineText)) {
    if ((t.kind === 'keyword' || t.kind === 'identifier') && t.start <= pos.character && pos.character <= t.end) {
      return { text: t.text, kind: t.kind, range: { start: { line: pos.line, character: t.start }, end: { line: pos.line, character: t.end } } };
    }
  }
  return undefined;
}

function symbolMarkdown(s: Scenario, ref: SymbolRef): string {
  const ix = indexScenario(s);
  switch (ref.kind) {
    case 'device': {
      const d = ix.devices.get(ref.name);
      if (!d) return `device ${ref.name}`;
      const variant: Variant = d.variant && isVariant(d.variant.name) ? d.variant.name : 'after-fix';
      const own = s.drivers.find((x) => x.name.name === d.driver.name);
      const model = own ? undefined : findDriver(d.driver.name);
      const lines = [`**device ${ref.name}**: \`${d.driver.name}${own ? '' : ` ${variant}`}\` (line ${d.name.range.start.line + 1})`];
      if (own) lines.push('', userDriverMarkdown(own));
      if (model) lines.push('', model.doc, '', model.variants[variant].summary, '', `FreeBSD source: \`${model.source}\``);
      lines.push('', `Fields in expressions: \`${ref.name}.refcount\`, \`${ref.name}.si_usecount\`, \`${ref.name}.open_count\`, ...; locks: \`${ref.name}.sim_mtx\`, \`${ref.name}.vnode_lock\`.`);
      return lines.join('\n');
    }
    case 'process': {
      const p = ix.processes.get(ref.name);
      if (!p) return `process ${ref.name}`;
      const count = statementCount(p.body);
      const fds = [...(ix.descriptors.get(ref.name)?.keys() ?? [])];
      return [
        `**process ${ref.name}** (line ${p.name.range.start.line + 1}): ${plural(count, 'statement')}${fds.length ? `; descriptors ${fds.map((f) => `\`${f}\``).join(', ')}` : ''}`,
        '',
        'A user process: its statements run in order. In a `schedule`, each use of its name runs it to its next scheduling point (a lock operation or a sleep).',
        '',
        `Fields: \`${ref.name}.blocked\`, \`${ref.name}.done\`, \`${ref.name}.errno\`, \`${ref.name}.steps\`.`,
      ].join('\n');
    }
    case 'driver': {
      const d = s.drivers.find((x) => x.name.name === ref.name);
      return d ? userDriverMarkdown(d) : `driver ${ref.name}`;
    }
    case 'flag': {
      const d = s.drivers.find((x) => x.softcFlags.some((f) => f.name.name === ref.name));
      const f = d?.softcFlags.find((x) => x.name.name === ref.name);
      return d && f ? `**${f.name.name}** = 0x${f.value.toString(16)} — a softc flag of driver ${d.name.name} (line ${f.name.range.start.line + 1}); in routines \`softc->flags & ${f.name.name}\`, in expectations \`DEVICE.softc_flags & ${f.name.name}\`.` : `softc flag ${ref.name}`;
    }
    case 'descriptor': {
      const open = ix.descriptors.get(ref.process)?.get(ref.name);
      const where = open ? ` opened on \`${open.device.name}\` at line ${open.range.start.line + 1}` : '';
      return [
        `**descriptor ${ref.name}** of process ${ref.process}${where}`,
        '',
        `Fields: \`${ref.process}.${ref.name}.errno\` (the errno of its last open or close) and \`${ref.process}.${ref.name}.open\`.`,
      ].join('\n');
    }
  }
}

function pathMarkdown(shown: string, t: PathTarget, s: Scenario): string {
  switch (t.kind) {
    case 'device-field':
    case 'process-field':
    case 'descriptor-field':
    case 'lock-field':
      return `**${shown}** (${t.info.type}) — kernel: \`${t.info.kernelName}\`\n\n${t.info.doc}`;
    case 'lock':
      return `**${shown}** — lock \`${t.info.kernelName}\`\n\n${t.info.doc}\n\nFields: \`holder\`, \`waiters\`, \`recursion\`.`;
    case 'constant':
      return `**${t.name}** = ${t.group === 'flag' ? `0x${t.value.toString(16)}` : t.value} — ${t.group === 'errno' ? 'errno value (sys/sys/errno.h)' : `flag constant, one of the ${t.owner ?? 'kernel flags'}`}`;
    case 'device':
      return symbolMarkdown(s, { kind: 'device', name: t.device });
    case 'process-name':
      return symbolMarkdown(s, { kind: 'process', name: t.name });
    case 'descriptor':
      return symbolMarkdown(s, { kind: 'descriptor', process: t.process, name: t.fd });
    case 'none':
      return '**none** — no process: the holder of a free lock.';
    case 'error':
      return `**${shown}**: ${t.message}`;
  }
}
