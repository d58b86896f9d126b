// Parses a schedule given on the command line or in a launch configuration
// (`A B*3 A`, optionally starting with `schedule`) into one pid per slice.

export type ScheduleParse = { ok: true; pids: number[] } | { ok: false; message: string; column: number };

export function parseScheduleLine(text: string, processNames: readonly string[]): ScheduleParse {
  const pids: number[] = [];
  const re = /\S+/g;
  let m: RegExpExecArray | null;
  let first = true;
  while ((m = re.exec(text)) !== null) {
    const word = m[0];
    if (first && word === 'schedule') {
      first = false;
      continue;
    }
    first = false;
    const parts = /^([A-Za-z_][A-Za-z0-9_-]*)(?:\*(\d+))?$/.exec(word);
    if (!parts) return { ok: false, message: `'${word}' is not a schedule entry: write a process name, or NAME*N`, column: m.index };
    const pid = processNames.indexOf(parts[1]);
    if (pid < 0) return { ok: false, message: `unknown process '${parts[1]}' in the schedule (processes: ${processNames.join(', ')})`, column: m.index };
    const times = parts[2] === undefined ? 1 : Number(parts[2]);
    if (times < 1 || times > 1_000_000) return { ok: false, message: `'${word}': the count must be between 1 and 1000000`, column: m.index };
    for (let k = 0; k < times; k++) pids.push(pid);
  }
  return { ok: true, pids };
}
