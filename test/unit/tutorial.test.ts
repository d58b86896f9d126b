// docs/tutorial.md cannot drift from the program: every `$ command` in its
// console blocks is run here, from the repository's root, and its output must be
// what the tutorial shows (times aside). With CAMSIM_UPDATE_DOCS=1 the blocks
// are rewritten from what the commands print instead. Its screenshots are the
// pictures test/e2e/tutorial.test.ts takes (copied into docs/tutorial/ by that
// test with CAMSIM_UPDATE_DOCS=1).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TUTORIAL_SHOTS } from '../e2e/tutorialShots';

const ROOT = join(__dirname, '..', '..', '..');
const TUTORIAL = join(ROOT, 'docs', 'tutorial.md');
const UPDATE = process.env.CAMSIM_UPDATE_DOCS === '1';

/** Words of a command line; double quotes group. */
function words(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]);
}

/**
 * What a tutorial command prints: `cat FILE`, or `camsim ...` (the built CLI);
 * a trailing `2>&1` shows standard error too, in the order it was written.
 */
function run(command: string): string {
  const merged = command.endsWith(' 2>&1');
  const [name, ...args] = words(merged ? command.slice(0, -5) : command);
  if (name === 'cat') return readFileSync(join(ROOT, args[0]), 'utf8').replace(/\n$/, '');
  assert.equal(name, 'camsim', `the tutorial runs only camsim and cat, not: ${command}`);
  const cli = [join(ROOT, 'bin', 'camsim.js'), ...args];
  if (merged) {
    const file = join(mkdtempSync(join(tmpdir(), 'camsim-tutorial-')), 'out');
    const fd = openSync(file, 'w');
    try {
      spawnSync(process.execPath, cli, { cwd: ROOT, stdio: ['ignore', fd, fd] });
    } finally {
      closeSync(fd);
    }
    return readFileSync(file, 'utf8').replace(/\n$/, '');
  }
  const r = spawnSync(process.execPath, cli, { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.stderr, '', `${command} wrote to standard error`);
  return r.stdout.replace(/\n$/, '');
}

/** Output with its times masked: they differ from run to run. */
const untimed = (s: string) => s.replace(/\b\d+(\.\d+)? (ms|s)\b/g, 'TIME');

/** A console block, perhaps indented (inside a list item): its indentation, command and output. */
const BLOCK = /^( *)```console\n *\$ ([^\n]+)\n([\s\S]*?)^ *```$/gm;
const dedent = (text: string, indent: string) => text.replace(/\n$/, '').split('\n').map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l)).join('\n');
const indented = (text: string, indent: string) => text.split('\n').map((l) => (l ? indent + l : l)).join('\n');

test('every command of the tutorial prints what the tutorial shows', () => {
  const md = readFileSync(TUTORIAL, 'utf8');
  const blocks = [...md.matchAll(BLOCK)];
  assert.ok(blocks.length >= 6, `the tutorial has ${blocks.length} console blocks`);
  if (UPDATE) {
    writeFileSync(TUTORIAL, md.replace(BLOCK, (_all, indent: string, command: string) =>
      `${indent}\`\`\`console\n${indent}$ ${command}\n${indented(run(command), indent)}\n${indent}\`\`\``));
    return;
  }
  for (const [, indent, command, shown] of blocks) {
    assert.equal(untimed(dedent(shown, indent)), untimed(run(command)), `the output of '${command}' in docs/tutorial.md is out of date (CAMSIM_UPDATE_DOCS=1 rewrites it)`);
  }
});

test('every screenshot of the tutorial is one the end-to-end tutorial test takes', () => {
  const md = readFileSync(TUTORIAL, 'utf8');
  const images = [...md.matchAll(/!\[[^\]]*\]\(tutorial\/([^)]+)\.png\)/g)].map((m) => m[1]);
  assert.deepEqual(images, [...TUTORIAL_SHOTS]);
  for (const name of images) assert.ok(existsSync(join(ROOT, 'docs', 'tutorial', `${name}.png`)), `docs/tutorial/${name}.png is missing`);
});
