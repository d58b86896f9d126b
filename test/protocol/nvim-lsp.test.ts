// A client no one here wrote: Neovim's built-in LSP client (Debian's neovim,
// run headless) starts `node out/server/main.js --stdio`, opens a sample and
// receives its diagnostics, both the checker's race warning and the background
// check's panic. Neovim is installed with apt-get when it is missing and we are
// root (as on CI); otherwise the test is skipped, saying why.

import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { ensureNeovim, isolatedEnv, luaProbe, runProbe } from './nvim';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SAMPLES, SERVER_MAIN } from './lsp-client';

const LUA = luaProbe(String.raw`
  result.attached = false
  result.timedOut = true
  result.diagnostics = {}
  local sample = os.getenv('CAMSIM_SAMPLE')
  vim.cmd('edit ' .. vim.fn.fnameescape(sample))
  local buf = vim.api.nvim_get_current_buf()
  vim.api.nvim_buf_set_option(buf, 'filetype', 'camsim')
  local client_id = vim.lsp.start_client({
    name = 'camsim',
    cmd = { os.getenv('CAMSIM_NODE'), os.getenv('CAMSIM_SERVER'), '--stdio' },
    root_dir = vim.fn.fnamemodify(sample, ':h'),
    settings = { camsim = { backgroundCheck = { enabled = true } } },
  })
  result.attached = vim.lsp.buf_attach_client(buf, client_id)
  result.timedOut = not vim.wait(30000, function()
    local seen = {}
    for _, d in ipairs(vim.diagnostic.get(buf)) do seen[tostring(code_of(d))] = true end
    return seen['devfs-close-race'] and seen['race-panic']
  end, 50)
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(result.diagnostics, {
      lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col,
      severity = d.severity, message = d.message, source = d.source, code = code_of(d),
    })
  end
  local client = vim.lsp.get_client_by_id(client_id)
  result.serverName = client and client.server_capabilities and 'ok' or 'none'
  vim.lsp.stop_client(client_id)
`);

interface NvimDiagnostic {
  lnum: number;
  col: number;
  severity: number;
  message: string;
  source: string;
  code: string;
}

test("Neovim's built-in LSP client opens a sample and receives the diagnostics", async (t) => {
  if (!ensureNeovim(t)) return;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'camsim-nvim-'));
  try {
    const sample = path.join(tmp, 'pass-race-before-fix.camsim');
    fs.copyFileSync(path.join(SAMPLES, 'pass-race-before-fix.camsim'), sample);
    const env = { ...isolatedEnv(tmp), CAMSIM_SAMPLE: sample, CAMSIM_NODE: process.execPath, CAMSIM_SERVER: SERVER_MAIN };
    const result = await runProbe<{ attached: boolean; timedOut: boolean; diagnostics: NvimDiagnostic[] }>(tmp, ['--clean'], LUA, env, 60_000);
    assert.equal(result.error, undefined);
    assert.equal(result.attached, true);
    assert.equal(result.timedOut, false, JSON.stringify(result.diagnostics));

    const text = fs.readFileSync(sample, 'utf8').split('\n');
    const race = result.diagnostics.find((d) => d.code === 'devfs-close-race');
    assert.ok(race);
    assert.equal(race.lnum, text.findIndex((l) => l.startsWith('device pass0')));
    assert.equal(race.col, text[race.lnum].indexOf('before-fix'));
    assert.equal(race.severity, 2); // vim.diagnostic.severity.WARN
    assert.match(race.message, /devfs close race/);
    const panic = result.diagnostics.find((d) => d.code === 'race-panic');
    assert.ok(panic);
    assert.equal(panic.lnum, text.findIndex((l) => l.startsWith('scenario "')));
    assert.match(panic.message, /a panic is reachable/);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
