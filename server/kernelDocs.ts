// What the kernel model says about a driver, a variant and a statement, as
// Markdown for hover and completion. Everything is read from the model itself
// (driver summaries, cdevsw flags, the modelled functions and the FreeBSD file
// each one models), so the texts cannot drift from what runs.

import type { Stmt, Variant } from '../core/scenario';
import { racyDrivers, VARIANTS } from '../core/scenario';
import { findDriver, type DriverModel, type DriverVariantModel } from '../core/kernel/drivers';
import type { KFn } from '../core/kernel/dsl';
import { CDEVSW_FLAGS, D_NEEDGIANT, D_TRACKCLOSE, flagNames } from '../core/kernel/constants';
import { devfs_close, devfs_ioctl_f, devfs_open, kern_close, kern_openat, vn_close, vn_open, vput } from '../core/kernel/devfs';
import { count_dev, dev_refthread, giant_close, giant_ioctl, giant_open } from '../core/kernel/kern_conf';
import { cam_periph_invalidate, xpt_async_lost_device } from '../core/kernel/cam_periph';

export function isDriver(name: string): boolean {
  return findDriver(name) !== undefined;
}

export function isVariant(name: string): name is Variant {
  return (VARIANTS as readonly string[]).includes(name);
}

export function dFlagsText(v: DriverVariantModel): string {
  return flagNames(v.d_flags, CDEVSW_FLAGS);
}

export function hasTrackClose(v: DriverVariantModel): boolean {
  return (v.d_flags & D_TRACKCLOSE) !== 0;
}

/** One line per variant: its flags and whether devfs calls d_close on every close. */
function variantLine(d: DriverModel, variant: Variant): string {
  const v = d.variants[variant];
  const track = hasTrackClose(v) ? 'D_TRACKCLOSE: every close reaches' : 'no D_TRACKCLOSE: only the last close reaches';
  return `- **${variant}**: \`d_flags = ${dFlagsText(v)}\` (${track} \`${v.close.name}\`); rests at refcount ${v.resting}`;
}

/** Hover on a driver name: what the driver is, both variants, the FreeBSD file. */
export function driverMarkdown(name: string, declaredVariant?: Variant): string {
  const d = findDriver(name);
  if (!d) return '';
  const lines = [
    `**${d.name}** — ${d.doc}`,
    '',
    `FreeBSD source: \`${d.source}\``,
    '',
    ...VARIANTS.map((v) => variantLine(d, v)),
  ];
  if (declaredVariant) {
    lines.push('', `This device uses **${declaredVariant}**${declaredVariant === 'after-fix' ? ' (the default: today\'s FreeBSD)' : ''}:`, '', d.variants[declaredVariant].summary);
  }
  return lines.join('\n');
}

/** Hover on a variant: what this variant's open and close do, its flags, the functions and file. */
export function variantMarkdown(driver: string | undefined, variant: Variant, implicit = false): string {
  const head = variant === 'before-fix'
    ? '**before-fix** — the driver as it was before the fix (2011), without D_TRACKCLOSE'
    : '**after-fix** — the driver with the fix (2013): D_TRACKCLOSE and a reference per open';
  const lines = [head + (implicit ? ' (the default when no variant is given)' : '')];
  const d = driver ? findDriver(driver) : undefined;
  if (!d) {
    lines.push('', 'Variants: `before-fix` (the 2011 code) and `after-fix` (the default: today\'s FreeBSD).');
    return lines.join('\n');
  }
  const v = d.variants[variant];
  lines.push(
    '',
    `\`${d.name}_cdevsw.d_flags = ${dFlagsText(v)}\` — ${hasTrackClose(v) ? '**D_TRACKCLOSE**: devfs calls d_close on every close' : '**no D_TRACKCLOSE**: devfs calls d_close only when it believes this is the last close (count_dev(dev) == 1)'}`,
    '',
    v.summary,
    '',
    `- d_open: \`${v.open.name}\` — ${v.open.models}`,
    `- d_close: \`${v.close.name}\` — ${v.close.models}`,
    `- FreeBSD source: \`${d.source}\``,
  );
  if (variant === 'before-fix' && racyDrivers().includes(d.name)) {
    lines.push('', 'Opened by two processes, this variant has the devfs close race (a periph reference released twice).');
  }
  return lines.join('\n');
}

/** The cdevsw method devfs calls: the Giant wrapper for a D_NEEDGIANT driver, then the driver's own. */
function methodChain(v: DriverVariantModel, method: 'open' | 'close' | 'ioctl'): KFn[] {
  const wrapper = { open: giant_open, close: giant_close, ioctl: giant_ioctl }[method];
  return v.d_flags & D_NEEDGIANT ? [wrapper, v[method]] : [v[method]];
}

function chainMarkdown(title: string, chain: readonly KFn[], notes: string[]): string {
  const lines = [title, '', '`' + chain.map((f) => f.name).join(' → ') + '`', ''];
  for (const f of chain) lines.push(`- \`${f.name}\` — ${f.models}`);
  if (notes.length) lines.push('', ...notes);
  return lines.join('\n');
}

export interface StatementContext {
  /** The driver and variant of the device a statement acts on, when known. */
  device?: { name: string; driver: string; variant: Variant };
}

/** Hover on a statement: the kernel path it runs, down to the driver method. */
export function statementMarkdown(st: Stmt, ctx: StatementContext): string {
  const dev = ctx.device;
  const v = dev ? findDriver(dev.driver)?.variants[dev.variant] : undefined;
  const driverPart = (method: 'open' | 'close' | 'ioctl'): KFn[] => (v ? methodChain(v, method) : []);
  const on = dev ? ` on ${dev.name} (${dev.driver} ${dev.variant})` : '';
  switch (st.kind) {
    case 'open':
      return chainMarkdown(
        `**open(2)**${on}: the system call path it runs`,
        [kern_openat, vn_open, devfs_open, ...driverPart('open')],
        [
          `\`vn_open\` looks the node up and takes the vnode (\`vget\`: \`v_usecount\` and \`si_usecount\` + 1); \`devfs_open\` takes a thread reference (\`${dev_refthread.name}\`) and drops the vnode lock around \`d_open\`.`,
          v ? '' : 'The driver method depends on the device (`d_open`).',
          'A failed open records its errno in the descriptor, which stays closed.',
        ].filter(Boolean),
      );
    case 'close': {
      const notes = [
        `\`devfs_close\` ${v && hasTrackClose(v) ? 'calls d_close on **every** close (D_TRACKCLOSE)' : `calls d_close only when \`${count_dev.name}(dev)\` says this is the last open (no D_TRACKCLOSE): the devfs close race lives in the window between that decision and \`${vput.name}\``}.`,
        `\`${vput.name}\` then drops the usecounts: only now does the closing file stop counting in \`si_usecount\`.`,
      ];
      return chainMarkdown(`**close(2)**${on}: the system call path it runs`, [kern_close, vn_close, devfs_close, ...driverPart('close')], notes);
    }
    case 'ioctl':
      return chainMarkdown(
        `**ioctl(2)**${on}: the system call path it runs`,
        [devfs_ioctl_f, ...driverPart('ioctl')],
        ['Holds a thread reference on the cdev (`si_threadcount`) while the driver runs.'],
      );
    case 'lose': {
      const chain: KFn[] = [xpt_async_lost_device, cam_periph_invalidate];
      if (v) chain.push(v.oninvalidate);
      const notes = ['The SIM reports the device gone (AC_LOST_DEVICE): CAM invalidates the periph.'];
      if (v?.devgonecb) notes.push(`The cdev's destruction is scheduled: the \`taskq\` thread runs it later and then calls \`${v.devgonecb.name}\`.`);
      return chainMarkdown(`**lose**${on}: the device goes away`, chain, notes);
    }
    case 'repeat':
      return `**repeat ${st.count}** — runs its statements ${st.count} times in a row (each iteration's system calls can interleave with other processes).`;
  }
}
