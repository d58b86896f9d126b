// The kernel model sources the debugger shows (devfs_vnops.c, cam_periph.c,
// scsi_pass.c, ...): read-only texts generated from the model, served by the
// adapter under stable source references (1..n in a fixed order).

import { MODEL_SOURCES } from '../core/kernel/functions';

const FILES: readonly string[] = [...MODEL_SOURCES.keys()];

export function modelSourceFiles(): readonly string[] {
  return FILES;
}

export function sourceReferenceOf(file: string): number {
  return FILES.indexOf(file) + 1;
}

export function modelFileOf(ref: number): string | undefined {
  return Number.isInteger(ref) && ref >= 1 && ref <= FILES.length ? FILES[ref - 1] : undefined;
}

export function modelSource(file: string): string | undefined {
  return MODEL_SOURCES.get(file);
}
