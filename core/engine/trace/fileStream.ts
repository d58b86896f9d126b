// A trace file written piece by piece, byte for byte as serializeTraceFile
// writes it whole: the head (everything known once the run is over) around the
// two lists that grow with the run, the slices (from their runs) and the steps
// (as they are run again). A run of millions of steps is written in constant
// memory.

import { serializeTraceFile, toFileStep, type TraceFile } from './file';
import type { SliceRuns } from '../run/schedulers';
import type { TraceStep } from '../run/traceStep';

// How serializeTraceFile lays out the two lists when empty. Every string value is
// written on one line (JSON escapes line breaks), so a line break followed by
// these can only be the lists themselves.
const SLICES = '\n    "slices": []';
const STEPS = '\n  "steps": []';

export interface TraceFileStream {
  step(s: TraceStep): void;
  /** Writes the rest of the file. */
  end(): void;
}

/**
 * Writes `head` (a trace file whose slices and steps are empty) with `slices` in
 * place, then each step handed to `step`, then the rest.
 */
export function streamTraceFile(head: TraceFile, slices: SliceRuns, write: (text: string) => void): TraceFileStream {
  if (head.steps.length || head.schedule.slices.length) throw new Error('streamTraceFile: the head must have no slices and no steps');
  const text = serializeTraceFile(head);
  const i = text.indexOf(SLICES);
  const j = text.indexOf(STEPS, i);
  write(text.slice(0, i) + SLICES.slice(0, -1));
  const batch: number[] = [];
  let first = true;
  for (let r = 0; r < slices.pids.length; r++) {
    for (let k = 0; k < slices.counts[r]; k++) {
      batch.push(slices.pids[r]);
      if (batch.length === 8192) {
        write((first ? '' : ',') + batch.join(','));
        first = false;
        batch.length = 0;
      }
    }
  }
  if (batch.length) write((first ? '' : ',') + batch.join(','));
  write(']' + text.slice(i + SLICES.length, j) + STEPS.slice(0, -2));
  let steps = 0;
  return {
    step(s) {
      write((steps++ === 0 ? '[\n    ' : ',\n    ') + JSON.stringify(toFileStep(s)));
    },
    end() {
      write((steps === 0 ? '[]' : '\n  ]') + text.slice(j + STEPS.length));
    },
  };
}
