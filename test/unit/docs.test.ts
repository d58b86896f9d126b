// The reference documents in docs/ against the code: every scenario they show is
// valid and meets its expectations, the lint output they quote is the real one,
// the expression vocabulary they list is complete, and every link into them
// (from the docs themselves, the README, the code, the tests and the samples)
// names a heading that exists.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { main } from '../../core/cli/main';
import type { Output } from '../../core/cli/io';
import {
  DESCRIPTOR_FIELDS,
  DEVICE_FIELDS,
  DEVICE_LOCKS,
  DEVICE_OPTIONS,
  ERRNO,
  GLOBAL_LOCKS,
  KERNEL_OPTIONS,
  LOCK_FIELDS,
  PROCESS_FIELDS,
} from '../../core/scenario';

const ROOT = join(__dirname, '..', '..', '..');
const DOCS = ['kernel-model.md', 'scenario-language.md'];
const read = (doc: string) => readFileSync(join(ROOT, 'docs', doc), 'utf8');

interface Block {
  lang: string;
  text: string;
  line: number;
}

function fencedBlocks(md: string): Block[] {
  const out: Block[] = [];
  const re = /^```(\S*)\n([\s\S]*?)^```$/gm;
  for (let m = re.exec(md); m; m = re.exec(md)) {
    out.push({ lang: m[1], text: m[2], line: md.slice(0, m.index).split('\n').length });
  }
  return out;
}

async function cli(...argv: string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const io: Output = { out: (t) => lines.push(t), err: (t) => lines.push(t) };
  const code = await main(argv, io);
  return { code, lines };
}

const dir = mkdtempSync(join(tmpdir(), 'camsim-docs-'));

for (const doc of DOCS) {
  const blocks = fencedBlocks(read(doc));

  for (const [i, b] of blocks.entries()) {
    if (b.lang !== 'camsim') continue;
    test(`${doc}:${b.line}: the example lints without errors, and run and check meet its expectations`, async () => {
      const file = join(dir, `${doc}-${i}.camsim`);
      writeFileSync(file, b.text);
      const lint = await cli('lint', file);
      assert.equal(lint.code, 0, lint.lines.join('\n'));
      // The only warning an example may show is the one it teaches: the race on a before-fix driver.
      for (const l of lint.lines) assert.ok(l.endsWith(': ok') || l.endsWith('[devfs-close-race]'), l);
      const run = await cli('run', '-q', file);
      assert.equal(run.code, 0, run.lines.join('\n'));
      const check = await cli('check', '-q', file);
      assert.equal(check.code, 0, check.lines.join('\n'));
    });
  }

  for (const [i, b] of blocks.entries()) {
    if (b.lang !== 'camsim-invalid') continue;
    test(`${doc}:${b.line}: the lint output quoted after the invalid example is what lint prints`, async () => {
      const shown = blocks[i + 1];
      assert.equal(shown?.lang, 'text', 'a ```text block with the lint output follows the example');
      const file = join(mkdtempSync(join(dir, 'invalid-')), 'race.camsim');
      writeFileSync(file, b.text);
      const lint = await cli('lint', file);
      assert.equal(lint.code, 2);
      assert.deepEqual(lint.lines.map((l) => l.replace(file, 'race.camsim')), shown.text.trimEnd().split('\n'));
    });
  }
}

test('scenario-language.md lists every name of the expression language and every option', () => {
  const md = read('scenario-language.md');
  const names = [
    ...[DEVICE_FIELDS, DEVICE_LOCKS, LOCK_FIELDS, PROCESS_FIELDS, DESCRIPTOR_FIELDS, GLOBAL_LOCKS].flat().map((f) => f.name),
    ...Object.keys(ERRNO),
    ...KERNEL_OPTIONS.map((o) => o.name),
    ...DEVICE_OPTIONS.map((o) => o.name),
  ];
  const missing = names.filter((n) => !md.includes(`\`${n}\``));
  assert.deepEqual(missing, []);
});

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchors(md: string): Set<string> {
  const out = new Set<string>();
  const seen = new Map<string, number>();
  const body = md.replace(/^```[\s\S]*?^```$/gm, '');
  for (const m of body.matchAll(/^#{1,6} +(.+)$/gm)) {
    const slug = m[1].trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    out.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return out;
}

function* projectFiles(d: string): Generator<string> {
  for (const name of readdirSync(d)) {
    if (name.startsWith('.') || ['node_modules', 'out', 'dist'].includes(name)) continue;
    const p = join(d, name);
    if (statSync(p).isDirectory()) yield* projectFiles(p);
    else if (/\.(ts|md|camsim|json)$/.test(name) && name !== 'package-lock.json') yield p;
  }
}

test('every link to a heading of the docs names a heading that exists', () => {
  const targets = new Map(DOCS.map((d) => [d, anchors(read(d))]));
  const broken: string[] = [];
  let links = 0;
  for (const file of projectFiles(ROOT)) {
    const text = readFileSync(file, 'utf8');
    const rel = relative(ROOT, file);
    const inDocs = rel.startsWith('docs') && DOCS.some((d) => rel.endsWith(d));
    const re = /(kernel-model\.md|scenario-language\.md)#([\w-]+)|\]\(#([\w-]+)\)/g;
    for (const m of text.matchAll(re)) {
      const doc = m[1] ?? (inDocs ? rel.slice('docs/'.length) : undefined);
      if (!doc) continue;
      links++;
      if (!targets.get(doc)?.has(m[2] ?? m[3])) broken.push(`${rel}: ${doc}#${m[2] ?? m[3]}`);
    }
  }
  assert.deepEqual(broken, []);
  assert.ok(links > 20, `found ${links} links; the scan missed the docs' own table of contents`);
});

test('nothing in the project cites the design notes it was built from', () => {
  const cites: string[] = [];
  for (const file of projectFiles(ROOT)) {
    const text = readFileSync(file, 'utf8');
    for (const [i, line] of text.split('\n').entries()) {
      if (/shared\/design|kernel-model\.md \d|kernel-model \d|§\s*\d/.test(line)) cites.push(`${relative(ROOT, file)}:${i + 1}: ${line.trim()}`);
    }
  }
  assert.deepEqual(cites, []);
});
