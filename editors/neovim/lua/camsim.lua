-- camsim for Neovim (0.7 or later): starts the camsim language server for every
-- buffer of filetype camsim (ftdetect/camsim.vim sets it for *.camsim files).
--
--   require('camsim').setup()            -- the server next to this plugin
--   require('camsim').setup({ cmd = { 'camsim-language-server', '--stdio' } })
--
-- Diagnostics, hover (K with the usual mapping), completion (omnifunc, <C-x><C-o>),
-- formatting, rename, code lenses and the server's commands (check,
-- counterexample) come from the server. `:CamsimCheck` and
-- `:CamsimCounterexample` run those commands on the current buffer.

local M = {}

-- This file is editors/neovim/lua/camsim.lua: the package root is three folders up.
local function package_root()
  local here = debug.getinfo(1, 'S').source:sub(2)
  return vim.fn.fnamemodify(here, ':p:h:h:h:h')
end

local function default_cmd()
  return { 'node', package_root() .. '/bin/camsim-language-server.js', '--stdio' }
end

local client_id = nil

local function run_command(name)
  return function()
    local buf = vim.api.nvim_get_current_buf()
    local params = { command = name, arguments = { { uri = vim.uri_from_bufnr(buf) } } }
    vim.lsp.buf_request(buf, 'workspace/executeCommand', params, function(err, result)
      if err then
        vim.notify('camsim: ' .. tostring(err.message or err), vim.log.levels.ERROR)
        return
      end
      -- The whole report in a scratch buffer below: the counterexample can be long.
      vim.cmd('botright new')
      local out = vim.api.nvim_get_current_buf()
      vim.bo[out].buftype = 'nofile'
      vim.bo[out].bufhidden = 'wipe'
      vim.api.nvim_buf_set_lines(out, 0, -1, false, vim.split(result.text, '\n', { plain = true }))
      vim.bo[out].modifiable = false
    end)
  end
end

--- opts.cmd: how to start the server (default: node and this package's bin/camsim-language-server.js)
--- opts.settings: the `camsim` settings (e.g. { backgroundCheck = { enabled = true } })
--- opts.on_attach: called with (client, bufnr) as for any Neovim LSP client
function M.setup(opts)
  opts = opts or {}
  local config = {
    name = 'camsim',
    cmd = opts.cmd or default_cmd(),
    settings = { camsim = opts.settings or {} },
    on_attach = function(client, buf)
      vim.bo[buf].omnifunc = 'v:lua.vim.lsp.omnifunc'
      if opts.on_attach then opts.on_attach(client, buf) end
    end,
  }
  local group = vim.api.nvim_create_augroup('camsim', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = 'camsim',
    callback = function(args)
      if client_id == nil or vim.lsp.get_client_by_id(client_id) == nil then
        client_id = vim.lsp.start_client(config)
      end
      vim.lsp.buf_attach_client(args.buf, client_id)
    end,
  })
  vim.api.nvim_create_user_command('CamsimCheck', run_command('camsim.server.check'), {})
  vim.api.nvim_create_user_command('CamsimCounterexample', run_command('camsim.server.counterexample'), {})
end

return M
