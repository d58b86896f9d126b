// Checks the arguments of a request at the session's door, so that bad input gets
// an error response that names the field and what it must be, and never reaches
// the runtime as a null or a wrong type ("cannot read properties of null").

/** A request the client got wrong: answered with an error response, nothing else happens. */
export class RequestError extends Error {}

export type Args = Record<string, unknown>;

/** How a value looks, for messages: `null`, `an array`, `the text "x"`, `the number 5`. */
function shown(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `the text ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (typeof v === 'number' || typeof v === 'boolean') return `${typeof v === 'number' ? 'the number' : ''} ${String(v)}`.trim();
  return typeof v === 'object' ? 'an object' : typeof v;
}

function isObject(v: unknown): v is Args {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A request's arguments: an object, or nothing (read as `{}`). */
export function argsOf(command: string, args: unknown): Args {
  if (args === undefined || args === null) return {};
  if (!isObject(args)) throw new RequestError(`${command}: the arguments must be an object, not ${shown(args)}`);
  return args;
}

/** `o[key]` must be an object (`where` names it in messages, e.g. `breakpoints[2]`). */
export function objectAt(command: string, where: string, v: unknown, what = 'an object'): Args {
  if (!isObject(v)) throw new RequestError(`${command}: "${where}" must be ${what}, not ${shown(v)}`);
  return v;
}

export function optObject(command: string, o: Args, key: string, what = 'an object'): Args | undefined {
  return o[key] === undefined ? undefined : objectAt(command, key, o[key], what);
}

export function optString(command: string, o: Args, key: string, where = key): string | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new RequestError(`${command}: "${where}" must be a string, not ${shown(v)}`);
  return v;
}

export function reqString(command: string, o: Args, key: string, what = 'a string', where = key): string {
  const v = o[key];
  if (v === undefined) throw new RequestError(`${command}: "${where}" is missing: it must be ${what}`);
  if (typeof v !== 'string') throw new RequestError(`${command}: "${where}" must be ${what}, not ${shown(v)}`);
  return v;
}

export function optBoolean(command: string, o: Args, key: string): boolean | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw new RequestError(`${command}: "${key}" must be true or false, not ${shown(v)}`);
  return v;
}

/** A number, when given: whole (`integer`) if asked, any size (the caller clamps it to its range). */
export function optNumber(command: string, o: Args, key: string, opts: { integer?: boolean; where?: string } = {}): number | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  return checkNumber(command, opts.where ?? key, v, opts.integer === true);
}

export function reqNumber(command: string, o: Args, key: string, opts: { integer?: boolean; where?: string } = {}): number {
  const where = opts.where ?? key;
  if (o[key] === undefined) throw new RequestError(`${command}: "${where}" is missing: it must be a ${opts.integer ? 'whole ' : ''}number`);
  return checkNumber(command, where, o[key], opts.integer === true);
}

function checkNumber(command: string, where: string, v: unknown, integer: boolean): number {
  if (typeof v !== 'number' || Number.isNaN(v)) throw new RequestError(`${command}: "${where}" must be a ${integer ? 'whole ' : ''}number, not ${shown(v)}`);
  if (integer && Number.isFinite(v) && !Number.isInteger(v)) throw new RequestError(`${command}: "${where}" must be a whole number, not ${v}`);
  return v;
}

/** An array, when given; `item` checks (and converts) each element. */
export function optArray<T>(command: string, o: Args, key: string, item: (v: unknown, where: string) => T): T[] | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) throw new RequestError(`${command}: "${key}" must be an array, not ${shown(v)}`);
  return v.map((x, i) => item(x, `${key}[${i}]`));
}

export function reqArray<T>(command: string, o: Args, key: string, item: (v: unknown, where: string) => T, what = 'an array'): T[] {
  if (o[key] === undefined) throw new RequestError(`${command}: "${key}" is missing: it must be ${what}`);
  return optArray(command, o, key, item)!;
}

/** `n` as a whole number within [min, max] (numbers beyond the range, infinities included, are clamped). */
export function clamp(n: number, min: number, max: number): number {
  const whole = Number.isFinite(n) ? Math.floor(n) : n;
  return Math.min(max, Math.max(min, whole));
}
