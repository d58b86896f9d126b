// The kernel model sources the debugger shows (devfs_vnops.c, cam_periph.c,
// scsi_pass.c, ...): read-only texts generated from the model, served by the
// adapter under stable source references (1..n in a fixed order). Each also has a
// path under a folder that is plainly not on disk, `<camsim-model>/devfs_vnops.c`
// (as `<node_internals>/...` in Node's debugger): editors show it for the file's
// place (the Breakpoints view lists the file by name there), and fetch the text
// by the source reference.

import { MODEL_SOURCES } from '../core/kernel/functions';

const FILES: readonly string[] = [...MODEL_SOURCES.keys()];

/** The folder of the model sources' paths. */
export const MODEL_FOLDER = '<camsim-model>';

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

/** `<camsim-model>/devfs_vnops.c` */
export function modelPath(file: string): string {
  return `${MODEL_FOLDER}/${file}`;
}

/** The model file a path under the model folder names (either slash), if it names one. */
export function modelFileOfPath(p: string): string | undefined {
  const m = /^<camsim-model>[/\\]([^/\\]+)$/.exec(p);
  return m && MODEL_SOURCES.has(m[1]) ? m[1] : undefined;
}
