// A run-time check that a value has the shape of cliJson.ts's types, field by
// field, for a reader that gets the CLI's JSON from another process. `strict`
// also rejects fields the types do not declare (the tests use it to keep the
// declaration and the output in step).

import { CLI_JSON_SCHEMA_VERSION, type CheckJson } from './cliJson';

type Shape = (v: unknown, at: string, out: Problems) => void;

interface Problems {
  strict: boolean;
  list: string[];
}

const typeOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v);

function primitive(name: 'string' | 'number' | 'boolean'): Shape {
  return (v, at, out) => {
    if (typeof v !== name || (name === 'number' && !Number.isFinite(v))) out.list.push(`${at}: expected a ${name}, found ${typeOf(v)}`);
  };
}

const str = primitive('string');
const num = primitive('number');
const bool = primitive('boolean');

function literal(...values: readonly (string | number)[]): Shape {
  return (v, at, out) => {
    if (!values.includes(v as string | number)) out.list.push(`${at}: expected one of ${values.map((x) => JSON.stringify(x)).join(', ')}, found ${JSON.stringify(v)}`);
  };
}

function nullable(shape: Shape): Shape {
  return (v, at, out) => {
    if (v !== null) shape(v, at, out);
  };
}

function oneOf(...shapes: Shape[]): Shape {
  return (v, at, out) => {
    const tries = shapes.map((s) => {
      const mine: Problems = { strict: out.strict, list: [] };
      s(v, at, mine);
      return mine.list;
    });
    if (!tries.some((t) => t.length === 0)) out.list.push(...tries[0]);
  };
}

function arrayOf(item: Shape): Shape {
  return (v, at, out) => {
    if (!Array.isArray(v)) out.list.push(`${at}: expected an array, found ${typeOf(v)}`);
    else v.forEach((x, i) => item(x, `${at}[${i}]`, out));
  };
}

function recordOf(item: Shape): Shape {
  return (v, at, out) => {
    if (!v || typeof v !== 'object' || Array.isArray(v)) out.list.push(`${at}: expected an object, found ${typeOf(v)}`);
    else for (const [k, x] of Object.entries(v)) item(x, `${at}.${k}`, out);
  };
}

/** An object with these fields; a field whose name ends in `?` may be missing. */
function object(fields: Record<string, Shape>): Shape {
  const known = new Map(Object.entries(fields).map(([k, s]) => [k.replace(/\?$/, ''), { shape: s, optional: k.endsWith('?') }]));
  return (v, at, out) => {
    if (!v || typeof v !== 'object' || Array.isArray(v)) {
      out.list.push(`${at}: expected an object, found ${typeOf(v)}`);
      return;
    }
    const o = v as Record<string, unknown>;
    for (const [k, f] of known) {
      if (!(k in o) || o[k] === undefined) {
        if (!f.optional) out.list.push(`${at}.${k}: missing`);
      } else f.shape(o[k], `${at}.${k}`, out);
    }
    if (out.strict) for (const k of Object.keys(o)) if (!known.has(k)) out.list.push(`${at}.${k}: not declared in core/protocol/cliJson.ts`);
  };
}

const outcomeKind = literal('panic', 'use-after-free', 'deadlock');
const outcomeFields = { kind: outcomeKind, pid: num, fn: str, message: str, 'file?': str, 'line?': num };
const outcome = object(outcomeFields);
const counterexample = object({
  pids: arrayOf(num),
  schedule: str,
  slices: num,
  end: literal('panic', 'use-after-free', 'deadlock', 'finished'),
  message: str,
  outcome: nullable(outcome),
  shortest: bool,
});

const checkShape = object({
  schemaVersion: literal(CLI_JSON_SCHEMA_VERSION),
  command: literal('check'),
  file: str,
  title: nullable(str),
  processes: arrayOf(str),
  exit: literal(0, 1, 3),
  verdict: literal('panic', 'deadlock', 'expectation-failed', 'ok', 'incomplete'),
  headline: str,
  ok: nullable(bool),
  complete: bool,
  stop: literal('complete', 'decided', 'max-states', 'max-depth', 'preemption-bound', 'timeout', 'cancelled', 'long-slice', 'max-memory'),
  states: num,
  transitions: num,
  slices: num,
  steps: num,
  endStates: num,
  finished: num,
  'interleavings?': num,
  depth: num,
  ms: num,
  restarts: num,
  reductions: object({ por: bool, symmetry: bool, interchangeable: arrayOf(arrayOf(str)), unprotected: arrayOf(str) }),
  bounds: object({ maxStates: num, 'maxDepth?': num, 'preemptionBound?': num, 'timeoutMs?': num }),
  outcomes: arrayOf(
    object({ kind: outcomeKind, reachable: nullable(bool), 'message?': str, 'outcome?': outcome, 'counterexample?': counterexample, 'messages?': arrayOf(str) }),
  ),
  expectations: arrayOf(
    object({
      text: str,
      what: literal('panic', 'no panic', 'deadlock', 'no deadlock', 'no use-after-free', 'no leak', 'expr'),
      line: num,
      verdict: literal('held', 'failed', 'undecided'),
      detail: str,
      'counterexample?': counterexample,
    }),
  ),
  'coverage?': object({
    lines: num,
    reached: num,
    files: arrayOf(object({ file: str, lines: num, reached: num, never: arrayOf(object({ line: num, fn: str, code: str })) })),
  }),
});

const value = oneOf(num, bool, str);
const runShape = object({
  schemaVersion: literal(CLI_JSON_SCHEMA_VERSION),
  command: literal('run'),
  file: str,
  title: nullable(str),
  status: literal('running', 'finished', 'panic', 'use-after-free', 'deadlock'),
  outcome: nullable(object({ ...outcomeFields, process: str })),
  result: str,
  schedule: str,
  steps: arrayOf(
    object({
      index: num,
      slice: num,
      pid: num,
      process: str,
      fn: str,
      file: str,
      line: num,
      code: str,
      depth: num,
      locksTaken: arrayOf(str),
      locksDropped: arrayOf(str),
      changes: arrayOf(object({ path: str, old: value, new: value })),
      'outcome?': outcome,
    }),
  ),
  final: recordOf(
    object({
      si_usecount: num,
      si_threadcount: num,
      si_drv1: bool,
      si_devsw: bool,
      sched_dtr: bool,
      named: bool,
      v_usecount: num,
      v_holdcnt: num,
      refcount: num,
      flags: num,
      freed: bool,
      softc_flags: num,
      open_count: num,
    }),
  ),
  expectations: arrayOf(object({ text: str, held: bool, detail: str })),
  notes: arrayOf(str),
  ok: bool,
});

function problems(shape: Shape, v: unknown, strict: boolean): string[] {
  const out: Problems = { strict, list: [] };
  shape(v, '$', out);
  return out.list;
}

/** What is wrong with `v` as `camsim check --json` output; [] when nothing. */
export function checkJsonProblems(v: unknown, opts: { strict?: boolean } = {}): string[] {
  return problems(checkShape, v, opts.strict === true);
}

/** What is wrong with `v` as `camsim run --json` output; [] when nothing. */
export function runJsonProblems(v: unknown, opts: { strict?: boolean } = {}): string[] {
  return problems(runShape, v, opts.strict === true);
}

export type ReadResult<T> = { ok: true; value: T } | { ok: false; message: string };

/** Parses and checks the output of `camsim check --json`; the message says why it cannot be read. */
export function readCheckJson(text: string): ReadResult<CheckJson> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return { ok: false, message: 'camsim check printed no JSON result' };
  }
  const version = (v as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (version !== CLI_JSON_SCHEMA_VERSION) {
    return { ok: false, message: `camsim check printed a result of schema version ${JSON.stringify(version ?? null)}; this version reads version ${CLI_JSON_SCHEMA_VERSION}` };
  }
  const list = checkJsonProblems(v);
  if (list.length) return { ok: false, message: `camsim check printed a result that cannot be read: ${list.slice(0, 3).join('; ')}` };
  return { ok: true, value: v as CheckJson };
}
