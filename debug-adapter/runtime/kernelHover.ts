// Hovering over C in a kernel model source (`periph->refcount`, `dev->si_usecount`,
// `softc->flags`, a local such as `error`): the value in the hovered frame, read
// through the frame's device. The expression language names the same values
// differently (`pass0.refcount`); this maps the kernel's spelling onto it.

import type { Frame, Machine } from '../../core/kernel/state';
import { localsOf } from './views';

/** C spelling -> field of the expression language's device. */
const C_FIELDS: Readonly<Record<string, string>> = {
  'periph->refcount': 'refcount',
  'periph->flags': 'flags',
  'softc->flags': 'softc_flags',
  'softc->open_count': 'open_count',
  'dev->si_usecount': 'si_usecount',
  'dev->si_threadcount': 'si_threadcount',
  'vp->v_rdev->si_usecount': 'si_usecount',
  'vp->v_usecount': 'v_usecount',
  'dev->si_drv1': 'si_drv1',
};

export type HoverTarget = { kind: 'expression'; text: string } | { kind: 'local'; value: string; type?: string };

/** What a hovered C expression reads in frame `f`, or undefined when it is not one we know. */
export function kernelHover(text: string, m: Machine, f: Frame | undefined): HoverTarget | undefined {
  if (!f) return undefined;
  const t = text.replace(/\s+/g, '');
  const field = C_FIELDS[t];
  const dev = m.config.devices[f.l.dev ?? -1];
  if (field && dev) return { kind: 'expression', text: `${dev.name}.${field}` };
  const local = localsOf(m, f).find((l) => l.name === t);
  if (local) return { kind: 'local', value: local.value, type: local.type };
  return undefined;
}
