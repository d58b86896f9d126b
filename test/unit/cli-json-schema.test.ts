// The --json outputs of run, check and lint, and the JSON error of invalid input,
// validate against the published schema (docs/cli-json.schema.json), and the
// schema is no rubber stamp: it rejects a document with a field missing or mistyped.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import { main } from '../../core/cli/main';
import type { Output } from '../../core/cli/io';

const ROOT = join(__dirname, '..', '..', '..');
const schema = JSON.parse(readFileSync(join(ROOT, 'docs', 'cli-json.schema.json'), 'utf8')) as object;
const validate = new Ajv({ allErrors: true }).compile(schema);
const sample = (n: string) => join(ROOT, 'samples', n);

async function json(...argv: string[]): Promise<{ code: number; doc: Record<string, unknown> }> {
  const out: string[] = [];
  const io: Output = { out: (t) => out.push(t), err: () => undefined };
  const code = await main(argv, io);
  return { code, doc: JSON.parse(out.join('\n')) as Record<string, unknown> };
}

function assertValid(doc: unknown): void {
  assert.ok(validate(doc), JSON.stringify(validate.errors, null, 1));
}

test('run --json validates, with a panic and with none', async () => {
  for (const f of ['pass-race-before-fix.camsim', 'pass-race-after-fix.camsim']) {
    const r = await json('run', sample(f), '--json');
    assert.equal(r.doc.command, 'run');
    assertValid(r.doc);
  }
});

test('check --json validates, found panic and held expectations, with coverage', async () => {
  for (const f of ['pass-race-before-fix.camsim', 'pass-race-after-fix.camsim']) {
    const r = await json('check', sample(f), '--json', '--coverage');
    assert.equal(r.doc.command, 'check');
    assert.equal(r.code, 0);
    assertValid(r.doc);
  }
});

test('lint --json validates, with a warning, and with an error and an unreadable file (exit 2)', async () => {
  const ok = await json('lint', sample('pass-race-before-fix.camsim'), '--json');
  assert.equal(ok.code, 0);
  assertValid(ok.doc);
  const dir = mkdtempSync(join(tmpdir(), 'camsim-lint-json-'));
  const bad = join(dir, 'bad.camsim');
  writeFileSync(bad, 'scenario "x"\nprocess A {\n  open(\n}\n');
  const r = await json('lint', bad, join(dir, 'missing.camsim'), '--json');
  assert.equal(r.code, 2);
  assert.equal(r.doc.exit, 2);
  assertValid(r.doc);
  const files = r.doc.files as { diagnostics: { severity: string }[]; error?: string }[];
  assert.ok(files[0].diagnostics.some((d) => d.severity === 'error'));
  assert.match(files[1].error ?? '', /missing\.camsim/);
});

test('check --json and run --json on invalid input print a JSON error with its location (exit 2)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'camsim-json-error-'));
  const bad = join(dir, 'bad.camsim');
  writeFileSync(bad, 'scenario "x"\nprocess A {\n  frobnicate\n}\n');
  for (const command of ['check', 'run']) {
    const r = await json(command, bad, '--json');
    assert.equal(r.code, 2);
    assertValid(r.doc);
    const error = r.doc.error as { file: string; line: number; column: number; message: string };
    assert.equal(r.doc.command, command);
    assert.equal(error.file, bad);
    assert.ok(error.line >= 1 && error.column >= 1);
    assert.ok(error.message.length > 0);
  }
});

test('the schema rejects a document with a field missing or of the wrong type', async () => {
  const { doc } = await json('check', sample('pass-race-before-fix.camsim'), '--json');
  const { schemaVersion: _, ...missing } = doc;
  assert.equal(validate(missing), false);
  assert.equal(validate({ ...doc, states: 'many' }), false);
  assert.equal(validate({ ...doc, stop: 'bored' }), false);
});
