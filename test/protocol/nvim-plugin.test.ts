// Neovim with the plugin in editors/neovim, set up exactly as its README says
// (the README's init.lua block, run as it is written), against the package as
// npm installs it: filetype, syntax, the language server attached, diagnostics,
// hover, completion, formatting with the editor's indentation, and :CamsimCheck.

import { test, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureNeovim, isolatedEnv, luaProbe, runProbe } from './nvim';
import { installPackage, ROOT } from './packageInstall';
import { KERNEL_CALLS } from '../../core/kernel/kernelCalls';
import { DRIVERS } from '../../core/kernel/drivers/catalogue';
import { KEYWORDS } from '../../core/scenario/lexer';
import { ServerCommands } from '../../core/protocol';

const README = fs.readFileSync(path.join(ROOT, 'editors/neovim/README.md'), 'utf8');
const PLUGIN = path.join(ROOT, 'editors/neovim');

/** The README's init.lua: its first lua block. */
function documentedConfig(): string {
  const m = /```lua\n([\s\S]*?)```/.exec(README);
  assert.ok(m, 'editors/neovim/README.md has no lua block');
  return m[1];
}

const PROBE = luaProbe(String.raw`
  local sample = os.getenv('CAMSIM_SAMPLE')
  vim.cmd('edit ' .. vim.fn.fnameescape(sample))
  local buf = vim.api.nvim_get_current_buf()
  local uri = vim.uri_from_bufnr(buf)
  result.filetype = vim.bo[buf].filetype
  result.syntax = vim.b[buf].current_syntax
  result.commentstring = vim.bo[buf].commentstring
  result.attached = vim.wait(15000, function() return #vim.lsp.buf_get_clients(buf) > 0 end, 50)
  vim.wait(5000, function() return vim.bo[buf].omnifunc ~= '' end, 20)
  result.omnifunc = vim.bo[buf].omnifunc
  result.diagnosed = vim.wait(30000, function()
    local seen = {}
    for _, d in ipairs(vim.diagnostic.get(buf)) do seen[tostring(code_of(d))] = true end
    return seen['devfs-close-race'] and seen['race-panic']
  end, 50)
  result.codes = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do table.insert(result.codes, tostring(code_of(d))) end

  local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  local dl = 0
  for i, l in ipairs(lines) do if l:sub(1, 13) == 'device pass0:' then dl = i - 1 end end
  local driver_col = lines[dl + 1]:find(': ', 1, true) + 1
  for _, r in pairs(vim.lsp.buf_request_sync(buf, 'textDocument/hover', { textDocument = { uri = uri }, position = { line = dl, character = driver_col } }, 10000) or {}) do
    if r.result then result.hover = r.result.contents.value or r.result.contents end
  end
  result.completion = {}
  for _, r in pairs(vim.lsp.buf_request_sync(buf, 'textDocument/completion', { textDocument = { uri = uri }, position = { line = dl, character = driver_col } }, 10000) or {}) do
    for _, item in ipairs((r.result and (r.result.items or r.result)) or {}) do table.insert(result.completion, item.label) end
  end

  vim.cmd('CamsimCheck')
  result.report = vim.api.nvim_buf_get_lines(0, 0, -1, false)
  vim.wait(30000, function()
    for _, l in ipairs(vim.api.nvim_buf_get_lines(0, 0, -1, false)) do if l:match('^result: ') then return true end end
    return false
  end, 50)
  result.report = vim.api.nvim_buf_get_lines(0, 0, -1, false)
  vim.cmd('close')

  vim.api.nvim_set_current_buf(buf)
  vim.api.nvim_buf_set_lines(buf, 0, -1, false, { 'device pass0: pass after-fix', 'process A {', 'open pass0 as f', '      repeat 2 {', 'close f', '}', '}' })
  vim.bo[buf].expandtab = false
  vim.bo[buf].tabstop = 8
  vim.bo[buf].shiftwidth = 0
  if vim.lsp.buf.format then vim.lsp.buf.format({ async = false, timeout_ms = 10000 }) else vim.lsp.buf.formatting_sync(nil, 10000) end
  result.formatted = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
`);

interface Probe {
  error?: string;
  filetype: string;
  syntax: string;
  omnifunc: string;
  commentstring: string;
  attached: boolean;
  diagnosed: boolean;
  codes: string[];
  hover?: string;
  completion: string[];
  report: string[];
  formatted: string[];
}

let tmp: string | undefined;
after(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

test("Neovim with the README's configuration: filetype, diagnostics, hover, completion, formatting, :CamsimCheck", async (t) => {
  if (!ensureNeovim(t)) return;
  const pkg = installPackage();
  tmp = pkg.tmp;
  const sample = path.join(pkg.tmp, 'pass-race-before-fix.camsim');
  fs.copyFileSync(path.join(pkg.installed, 'samples', 'pass-race-before-fix.camsim'), sample);
  const init = path.join(pkg.tmp, 'init.lua');
  fs.writeFileSync(init, documentedConfig());
  // `npm root -g` in the README's lines answers this prefix, where the package is installed.
  const env = { ...isolatedEnv(pkg.tmp), npm_config_prefix: pkg.prefix, npm_config_update_notifier: 'false', CAMSIM_SAMPLE: sample };
  const r = await runProbe<Probe>(pkg.tmp, ['-u', init], PROBE, env);
  assert.equal(r.error, undefined);

  assert.equal(r.filetype, 'camsim');
  assert.equal(r.syntax, 'camsim');
  assert.equal(r.commentstring, '# %s');
  assert.equal(r.omnifunc, 'v:lua.vim.lsp.omnifunc');
  assert.equal(r.attached, true, 'no language server attached');
  assert.equal(r.diagnosed, true, `diagnostics seen: ${JSON.stringify(r.codes)}`);
  assert.match(r.hover ?? '', /pass\(4\)/);
  for (const d of DRIVERS) assert.ok(r.completion.includes(d.name), `completion after 'device pass0: ' lacks ${d.name}: ${JSON.stringify(r.completion)}`);
  assert.ok(r.report.some((l) => /^result: panic reachable/.test(l)), `:CamsimCheck showed ${JSON.stringify(r.report)}`);
  assert.deepEqual(r.formatted, ['device pass0: pass after-fix', 'process A {', '\topen pass0 as f', '\trepeat 2 {', '\t\tclose f', '\t}', '}']);
});

test('the syntax file knows every keyword, driver and kernel call; the plugin names the server commands', () => {
  const syntax = fs.readFileSync(path.join(PLUGIN, 'syntax/camsim.vim'), 'utf8');
  const words = new Set(syntax.split('\n').filter((l) => l.startsWith('syntax keyword ')).flatMap((l) => l.split(/\s+/).slice(3)));
  const matched = (w: string) => words.has(w) || syntax.includes(`\\<${w}\\>`);
  for (const k of KEYWORDS) assert.ok(matched(k), `syntax/camsim.vim lacks the keyword ${k}`);
  const drivers = syntax.split('\n').find((l) => l.startsWith('syntax keyword camsimDriver '))!.split(/\s+/).slice(3);
  assert.deepEqual(drivers, DRIVERS.map((d) => d.name), 'the driver list of syntax/camsim.vim differs from the catalogue');
  const calls = syntax.split('\n').find((l) => l.startsWith('syntax keyword camsimKernelCall '))!.split(/\s+/).slice(3);
  assert.deepEqual(calls, KERNEL_CALLS.map((k) => k.name));
  const lua = fs.readFileSync(path.join(PLUGIN, 'lua/camsim.lua'), 'utf8');
  for (const id of Object.values(ServerCommands)) assert.ok(lua.includes(`'${id}'`), `lua/camsim.lua does not run ${id}`);
});
