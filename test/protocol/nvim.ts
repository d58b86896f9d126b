// Neovim for the tests that drive it headless (Debian's neovim): installed with
// apt-get when it is missing and we are root (as on CI); otherwise the test is
// skipped, saying why.

import type { TestContext } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

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


/**
 * A Lua probe for `nvim --headless`: runs `body` (which fills the table `result`),
 * writes `result` as JSON to $CAMSIM_OUT (with `error` if the body failed), quits.
 * `code_of(d)` gives a diagnostic's LSP code on every Neovim version.
 */
export function luaProbe(body: string): string {
  return String.raw`
local result = {}
local function code_of(d)
  if d.code ~= nil then return d.code end
  if d.user_data and d.user_data.lsp then return d.user_data.lsp.code end
  return nil
end
local ok, err = pcall(function()
${body}
end)
if not ok then result.error = tostring(err) end
local f = io.open(os.getenv('CAMSIM_OUT'), 'w')
f:write(vim.fn.json_encode(result))
f:close()
vim.cmd('qa!')
`;
}

/** An environment whose home and XDG folders are new ones under `dir` (no user configuration). */
export function isolatedEnv(dir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const d of ['HOME', 'XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_STATE_HOME', 'XDG_CACHE_HOME', 'XDG_RUNTIME_DIR']) {
    env[d] = path.join(dir, d.toLowerCase());
    fs.mkdirSync(env[d]!, { recursive: true, mode: 0o700 });
  }
  return env;
}

/** Runs nvim with `args` and a probe (luaProbe) in `dir`; returns the probe's result. */
export async function runProbe<R>(dir: string, args: string[], probe: string, env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<R & { error?: string }> {
  const script = path.join(dir, 'probe.lua');
  const out = path.join(dir, 'result.json');
  fs.writeFileSync(script, probe);
  const nvim = spawn('nvim', ['--headless', '-n', ...args, '-c', `luafile ${script}`], { env: { ...env, CAMSIM_OUT: out }, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  nvim.stdout.on('data', (d: Buffer) => (output += d.toString()));
  nvim.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const killer = setTimeout(() => nvim.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => nvim.on('exit', resolve));
  clearTimeout(killer);
  assert.equal(code, 0, `nvim exited with ${code}: ${output}`);
  assert.ok(fs.existsSync(out), `no result from the probe: ${output}`);
  return JSON.parse(fs.readFileSync(out, 'utf8')) as R & { error?: string };
}
