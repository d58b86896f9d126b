// Neovim for the tests that drive it headless (Debian's neovim): installed with
// apt-get when it is missing and we are root (as on CI); otherwise the test is
// skipped, saying why.

import type { TestContext } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

function hasNeovim(): boolean {
  return spawnSync('nvim', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Neovim, installed from Debian when missing and possible; false (the test skipped) otherwise. */
export function ensureNeovim(t: TestContext): boolean {
  if (hasNeovim()) return true;
  if (process.getuid?.() !== 0) {
    t.skip('Neovim is not installed and installing it needs root: apt-get install -y neovim');
    return false;
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () => spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'neovim'], { env, stdio: 'ignore' }).status === 0;
  if (!install()) {
    spawnSync('apt-get', ['update', '-qq'], { env, stdio: 'ignore' });
    assert.ok(install(), 'apt-get install -y neovim failed');
  }
  assert.ok(hasNeovim(), 'nvim is not on PATH after installing neovim');
  return true;
}

