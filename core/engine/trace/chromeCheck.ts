// Checks a Chrome Trace Event JSON object against what the format requires
// (name, ph, ts, pid, tid on every event, plus each phase's own fields), and
// what viewers need to draw it right: slices on one track nest, every flow
// start has its end, counters carry numbers.

const PHASES = new Set(['B', 'E', 'X', 'i', 'I', 'C', 's', 't', 'f', 'M', 'b', 'e', 'n']);
const METADATA = new Set(['process_name', 'process_labels', 'process_sort_index', 'thread_name', 'thread_sort_index']);

type Ev = Record<string, unknown>;

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function phaseProblem(e: Ev): string | undefined {
  switch (e.ph) {
    case 'X':
      return isNum(e.dur) && e.dur >= 0 ? undefined : 'a complete event (X) needs dur >= 0';
    case 'C':
      if (!isObj(e.args) || Object.keys(e.args).length === 0) return 'a counter event (C) needs args with at least one series';
      return Object.values(e.args).every(isNum) ? undefined : 'a counter event (C) needs numeric args';
    case 'i':
    case 'I':
      return e.s === undefined || e.s === 'g' || e.s === 'p' || e.s === 't' ? undefined : "an instant event's scope s must be g, p or t";
    case 's':
    case 't':
    case 'f':
      if (e.id === undefined) return 'a flow event needs an id';
      if (typeof e.cat !== 'string') return 'a flow event needs a cat (flows are matched by cat and id)';
      return e.ph === 'f' && e.bp !== undefined && e.bp !== 'e' ? "a flow end's bp must be 'e'" : undefined;
    case 'M':
      if (!METADATA.has(e.name as string)) return `unknown metadata event '${String(e.name)}'`;
      if (!isObj(e.args)) return 'a metadata event (M) needs args';
      if (e.cat !== '__metadata') return "a metadata event (M) needs cat '__metadata'";
      return (e.name as string).endsWith('sort_index') ? (isNum(e.args.sort_index) ? undefined : 'needs args.sort_index') : typeof e.args.name === 'string' || Array.isArray(e.args.labels) ? undefined : 'needs args.name';
    default:
      return undefined;
  }
}

/** Every problem found, as `traceEvents[i]: ...`; empty when the object is a valid trace. */
export function checkChromeTrace(v: unknown): string[] {
  if (!isObj(v)) return ['expected a JSON object with traceEvents'];
  if (!Array.isArray(v.traceEvents)) return ['traceEvents: expected an array'];
  if (v.displayTimeUnit !== undefined && v.displayTimeUnit !== 'ms' && v.displayTimeUnit !== 'ns') return ["displayTimeUnit: expected 'ms' or 'ns'"];
  const problems: string[] = [];
  const slices = new Map<string, { ts: number; end: number; i: number }[]>();
  const begins = new Map<string, number[]>();
  const flows = new Map<string, { start: number; end: number }>();
  v.traceEvents.forEach((raw: unknown, i: number) => {
    const at = `traceEvents[${i}]`;
    if (!isObj(raw)) return problems.push(`${at}: expected an object`);
    const e = raw as Ev;
    if (typeof e.name !== 'string') problems.push(`${at}: name must be a string`);
    if (typeof e.ph !== 'string' || !PHASES.has(e.ph)) return problems.push(`${at}: unknown phase ${JSON.stringify(e.ph)}`);
    for (const k of ['ts', 'pid', 'tid']) if (!isNum(e[k])) problems.push(`${at}: ${k} must be a number`);
    if (e.args !== undefined && !isObj(e.args)) problems.push(`${at}: args must be an object`);
    const p = phaseProblem(e);
    if (p) problems.push(`${at}: ${p}`);
    const track = `${e.pid}/${e.tid}`;
    if (e.ph === 'X' && isNum(e.ts) && isNum(e.dur)) {
      let list = slices.get(track);
      if (!list) slices.set(track, (list = []));
      list.push({ ts: e.ts, end: e.ts + e.dur, i });
    } else if (e.ph === 'B') {
      let st = begins.get(track);
      if (!st) begins.set(track, (st = []));
      st.push(i);
    } else if (e.ph === 'E') {
      const st = begins.get(track);
      if (st && st.length) st.pop();
      else problems.push(`${at}: E without a B on track ${track}`);
    } else if (e.ph === 's' || e.ph === 'f') {
      const key = `${String(e.cat)}/${String(e.id)}`;
      const f = flows.get(key) ?? { start: 0, end: 0 };
      if (e.ph === 's') f.start++;
      else f.end++;
      flows.set(key, f);
    }
    return undefined;
  });
  for (const [track, st] of begins) if (st.length) problems.push(`track ${track}: ${st.length} B event(s) without an E`);
  for (const [key, f] of flows) if (f.start !== 1 || f.end !== 1) problems.push(`flow ${key}: ${f.start} start(s) and ${f.end} end(s), expected one of each`);
  // Complete events on one track must nest: sorted by start (longer first), each lies inside or after the open ones.
  for (const [track, list] of slices) {
    list.sort((a, b) => a.ts - b.ts || b.end - a.end);
    const open: { end: number; i: number }[] = [];
    for (const s of list) {
      while (open.length && open[open.length - 1].end <= s.ts) open.pop();
      const parent = open[open.length - 1];
      if (parent && s.end > parent.end) {
        problems.push(`traceEvents[${s.i}]: overlaps traceEvents[${parent.i}] on track ${track} without nesting inside it`);
        if (problems.length > 50) return problems;
      }
      open.push(s);
    }
  }
  return problems;
}
