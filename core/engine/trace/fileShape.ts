// Checks that a parsed JSON value has the shape of a trace file (format name,
// a version this camsim reads, every field of the expected type) and says where
// it does not, as a JSON path (`steps[12].line`), so a damaged file is easy to fix.

const FORMAT = 'camsim-trace';
const VERSION = 1;

/** Where a value sits, as a linked list, spelled out (`steps[12].line`) only when there is a problem. */
interface At {
  up?: At;
  key: string | number;
}

function show(at: At | undefined): string {
  if (!at) return '';
  const head = show(at.up);
  return typeof at.key === 'number' ? `${head}[${at.key}]` : head ? `${head}.${at.key}` : at.key;
}

type Check = (v: unknown, at: At | undefined) => string | undefined;

const describe = (v: unknown): string => (v === undefined ? 'nothing (the field is missing)' : v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)}`);

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const str: Check = (v, at) => (typeof v === 'string' ? undefined : `${show(at)}: expected a string, found ${describe(v)}`);
const bool: Check = (v, at) => (typeof v === 'boolean' ? undefined : `${show(at)}: expected true or false, found ${describe(v)}`);
const int: Check = (v, at) => (Number.isInteger(v) ? undefined : `${show(at)}: expected a whole number, found ${describe(v)}`);
const nat: Check = (v, at) => (Number.isInteger(v) && (v as number) >= 0 ? undefined : `${show(at)}: expected a whole number >= 0, found ${describe(v)}`);
const scalar: Check = (v, at) => (['number', 'string', 'boolean'].includes(typeof v) ? undefined : `${show(at)}: expected a number, string or boolean, found ${describe(v)}`);
const nullable = (c: Check): Check => (v, at) => (v === null ? undefined : c(v, at));
const optional = (c: Check): Check => (v, at) => (v === undefined ? undefined : c(v, at));
const oneOf = (...values: string[]): Check => (v, at) =>
  typeof v === 'string' && values.includes(v) ? undefined : `${show(at)}: expected one of ${values.map((x) => `'${x}'`).join(', ')}, found ${describe(v)}`;

function array(item: Check): Check {
  return (v, at) => {
    if (!Array.isArray(v)) return `${show(at)}: expected an array, found ${describe(v)}`;
    for (let i = 0; i < v.length; i++) {
      const p = item(v[i], { up: at, key: i });
      if (p) return p;
    }
    return undefined;
  };
}

function object(fields: Record<string, Check>): Check {
  const entries = Object.entries(fields);
  return (v, at) => {
    if (!isObj(v)) return `${show(at)}: expected an object, found ${describe(v)}`;
    for (const [k, c] of entries) {
      const p = c(v[k], { up: at, key: k });
      if (p) return p;
    }
    return undefined;
  };
}

function record(value: Check): Check {
  return (v, at) => {
    if (!isObj(v)) return `${show(at)}: expected an object, found ${describe(v)}`;
    for (const [k, x] of Object.entries(v)) {
      const p = value(x, { up: at, key: k });
      if (p) return p;
    }
    return undefined;
  };
}

const policy: Check = (v, at) => {
  if (isObj(v) && v.kind === 'random') return object({ kind: str, seed: int })(v, at);
  if (isObj(v) && v.kind === 'roundRobin') return undefined;
  return `${show(at)}: expected { "kind": "roundRobin" } or { "kind": "random", "seed": N }, found ${describe(v)}`;
};

const outcomeFields = {
  kind: oneOf('panic', 'deadlock', 'use-after-free'),
  pid: nat,
  fn: str,
  message: str,
  file: optional(str),
  line: optional(int),
};
const outcome = object(outcomeFields);
/** The run's outcome also names its process. */
const resultOutcome = object({ ...outcomeFields, process: str });

const change = object({ path: str, old: scalar, new: scalar });

const step = object({
  index: nat,
  slice: nat,
  pid: nat,
  process: str,
  fn: str,
  file: str,
  line: int,
  code: str,
  depth: nat,
  locksTaken: array(str),
  locksDropped: array(str),
  changes: array(change),
  outcome: optional(outcome),
  errno: optional(int),
});

const devState = record(scalar);

const shape = object({
  generator: str,
  scenario: object({ file: nullable(str), title: nullable(str), sha256: (v, at) => (typeof v === 'string' && /^[0-9a-f]{64}$/.test(v) ? undefined : `${show(at)}: expected 64 lower-case hex digits, found ${describe(v)}`), text: str }),
  kernel: object({ invariants: bool, devices: array(object({ name: str, driver: str, variant: str, options: array(str) })) }),
  processes: array(object({ pid: nat, name: str, kind: oneOf('user', 'taskq') })),
  schedule: object({ slices: array(nat), line: str, policy, requested: nullable(str), maxSteps: nullable(nat) }),
  steps: array(step),
  result: object({ status: oneOf('running', 'finished', 'panic', 'use-after-free', 'deadlock'), outcome: nullable(resultOutcome), truncated: bool }),
  initial: object({ devices: record(devState) }),
  final: object({ devices: record(devState) }),
  notes: array(str),
});

/** Cross-field checks: pids in range, steps numbered in order, no more steps than the step limit. */
function consistency(t: {
  processes: { pid: number; name: string }[];
  schedule: { slices: number[]; maxSteps: number | null };
  steps: { index: number; pid: number; process: string; outcome?: { pid: number } }[];
  result: { outcome: { pid: number; process: string } | null };
}): string | undefined {
  const n = t.processes.length;
  for (let i = 0; i < n; i++) if (t.processes[i].pid !== i) return `processes[${i}].pid: expected ${i} (processes are listed in pid order)`;
  const bad = t.schedule.slices.findIndex((p) => p >= n);
  if (bad >= 0) return `schedule.slices[${bad}]: pid ${t.schedule.slices[bad]} is not one of the ${n} processes`;
  const max = t.schedule.maxSteps;
  if (max !== null && t.steps.length > max) return `schedule.maxSteps: the run was limited to ${max} steps, but the trace holds ${t.steps.length}`;
  for (let i = 0; i < t.steps.length; i++) {
    const s = t.steps[i];
    if (s.index !== i) return `steps[${i}].index: expected ${i}, found ${s.index} (steps are listed in order)`;
    if (s.pid >= n) return `steps[${i}].pid: pid ${s.pid} is not one of the ${n} processes`;
    if (t.processes[s.pid].name !== s.process) return `steps[${i}].process: '${s.process}' is not the name of pid ${s.pid} ('${t.processes[s.pid].name}')`;
    if (s.outcome && s.outcome.pid >= n) return `steps[${i}].outcome.pid: pid ${s.outcome.pid} is not one of the ${n} processes`;
  }
  const o = t.result.outcome;
  if (o) {
    if (o.pid >= n) return `result.outcome.pid: pid ${o.pid} is not one of the ${n} processes`;
    if (t.processes[o.pid].name !== o.process) return `result.outcome.process: '${o.process}' is not the name of pid ${o.pid} ('${t.processes[o.pid].name}')`;
  }
  return undefined;
}

/** The first problem with the value as a trace file, or undefined when it is one. */
export function validateTraceFile(v: unknown): string | undefined {
  if (!isObj(v)) return `not a trace file: expected a JSON object, found ${describe(v)}`;
  if (v.format !== FORMAT) {
    return v.format === undefined
      ? `not a trace file: it has no "format" field (a camsim trace has "format": "${FORMAT}")`
      : `not a trace file: format is ${JSON.stringify(v.format)}, expected "${FORMAT}"`;
  }
  if (!Number.isInteger(v.version)) return `version: expected a whole number, found ${describe(v.version)}`;
  if (v.version !== VERSION) {
    return (v.version as number) > VERSION
      ? `trace format version ${v.version} is newer than this camsim reads (version ${VERSION}): update camsim`
      : `trace format version ${v.version} is not supported (this camsim reads version ${VERSION})`;
  }
  const p = shape(v, undefined);
  if (p) return p;
  return consistency(v as unknown as Parameters<typeof consistency>[0]);
}
