#!/usr/bin/env bash
# Install, upgrade or stop Kith. Run it again at any time: it rebuilds, restarts and never touches
# the camp's data.
#
#   ./install.sh                         try Kith on this computer: a camp on http://localhost:8080,
#                                        data in ./data, no root needed
#   ./install.sh --stop                  stop that camp
#   sudo ./install.sh --domain NAME      set up a camp on a Debian or Ubuntu server, with HTTPS
#     [--offsite REMOTE:PATH]            ...and copy each daily backup off the server, encrypted
#   ./install.sh --upgrade [--binary F]  upgrade the laptop camp (add --domain NAME on a server),
#                                        rolling back if the new version does not start
#   ./install.sh --dry-run [...]         print every file it would write and command it would run
set -euo pipefail

ROOT="$(cd "$(dirname "$0")" && pwd)"
DEPLOY="$ROOT/deploy"
cd "$ROOT"

# Server layout.
DATA_DIR=/var/lib/kith
BACKUP_DIR="$DATA_DIR/backups"
BINARY=/usr/local/bin/kith
ENV_FILE=/etc/kith/kith.env
PASSPHRASE_FILE=/etc/kith/backup-passphrase
RCLONE_CONF="$DATA_DIR/rclone.conf"
UNIT_DIR=/etc/systemd/system
CADDYFILE=/etc/caddy/Caddyfile
SERVER_PORT=8080
# Tests point this at a made-up file to see how other systems are refused.
OS_RELEASE="${KITH_OS_RELEASE:-/etc/os-release}"

# Laptop layout.
LAPTOP_DATA="$ROOT/data"
LAPTOP_LOG="$ROOT/kith.log"

DOMAIN=""
OFFSITE=""
KEEP=14
PORT=8080
DRY_RUN=0
STOP=0
UPGRADE=0
NEW_BINARY=""

usage() {
  sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
  cat <<'EOF'

Options:
  --domain NAME        the camp's public host name (server mode, needs root)
  --keep-backups N     server mode: how many daily backups to keep (default 14), here and off-site
  --offsite REMOTE:PATH
                       server mode: also copy each backup there through rclone, encrypted
  --port N             laptop mode: the port to serve on (default 8080)
  --stop               laptop mode: stop the camp this script started
  --upgrade            back up, swap in the new build, migrate, and roll back to the previous
                       binary and backup if it does not answer /healthz within 30 seconds
  --binary FILE        with --upgrade: upgrade to this already-built kith instead of building one
  --dry-run            print what would be written and run, change nothing
  -h, --help           this text
EOF
}

die() {
  echo "install.sh: $*" >&2
  exit 1
}
say() { echo "==> $*"; }

# Runs a command, or only shows it in a dry run.
run() {
  if [ "$DRY_RUN" = 1 ]; then
    echo "would run: $*"
  else
    "$@"
  fi
}

# Writes stdin to PATH with MODE (replacing it in one rename), or only shows it in a dry run.
write_file() {
  local path="$1" mode="$2" content
  content="$(cat)"
  if [ "$DRY_RUN" = 1 ]; then
    printf 'would write: %s (mode %s)\n%s\n--- end of %s ---\n' "$path" "$mode" "$content" "$path"
    return
  fi
  mkdir -p "$(dirname "$path")"
  printf '%s\n' "$content" >"$path.kith-new"
  chmod "$mode" "$path.kith-new"
  mv -f "$path.kith-new" "$path"
}

# Prints a template from deploy/ with the @NAMES@ filled in and @HARDENING@ replaced by the
# shared hardening block.
render() {
  local line
  while IFS= read -r line || [ -n "$line" ]; do
    if [ "$line" = "@HARDENING@" ]; then
      render "$DEPLOY/hardening.conf"
      continue
    fi
    line="${line//@DOMAIN@/$DOMAIN}"
    line="${line//@DATA_DIR@/$DATA_DIR}"
    line="${line//@BACKUP_DIR@/$BACKUP_DIR}"
    line="${line//@BINARY@/$BINARY}"
    line="${line//@ENV_FILE@/$ENV_FILE}"
    line="${line//@KEEP@/$KEEP}"
    line="${line//@OFFSITE_ARGS@/${OFFSITE:+ --to $OFFSITE}}"
    line="${line//@VERIFY_SOURCE@/${OFFSITE:-$BACKUP_DIR/}}"
    line="${line//@PORT@/$SERVER_PORT}"
    line="${line//@LISTEN@/127.0.0.1:$SERVER_PORT}"
    printf '%s\n' "$line"
  done <"$1"
}

# The last words of an install: the operator's setup link, or where the camp already runs.
announce_camp() {
  local link="$1" url="$2"
  echo
  if [ -n "$link" ]; then
    echo "Your camp is running. Open this link to become its operator (it works once):"
    echo
    echo "  $link"
  else
    echo "Your camp is running at $url (it already has an operator)."
  fi
}

lower() { printf '%s' "$1" | tr '[:upper:]' '[:lower:]'; }

parse_args() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --domain) [ $# -ge 2 ] || die "--domain needs a host name, like --domain camp.example.org."; DOMAIN="$(lower "$2")"; shift 2 ;;
      --domain=*) DOMAIN="$(lower "${1#*=}")"; shift ;;
      --offsite) [ $# -ge 2 ] || die "--offsite needs an rclone remote and path, like --offsite b2:my-bucket/kith."; OFFSITE="$2"; shift 2 ;;
      --offsite=*) OFFSITE="${1#*=}"; shift ;;
      --keep-backups) [ $# -ge 2 ] || die "--keep-backups needs a number."; KEEP="$2"; shift 2 ;;
      --keep-backups=*) KEEP="${1#*=}"; shift ;;
      --port) [ $# -ge 2 ] || die "--port needs a number."; PORT="$2"; shift 2 ;;
      --port=*) PORT="${1#*=}"; shift ;;
      --stop) STOP=1; shift ;;
      --upgrade) UPGRADE=1; shift ;;
      --binary) [ $# -ge 2 ] || die "--binary needs the path of a built kith."; NEW_BINARY="$2"; shift 2 ;;
      --dry-run) DRY_RUN=1; shift ;;
      -h | --help) usage; exit 0 ;;
      *) die "unknown option \"$1\". Run ./install.sh --help to see the options." ;;
    esac
  done
  [[ "$KEEP" =~ ^[1-9][0-9]*$ ]] || die "--keep-backups must be a whole number, 1 or more, not \"$KEEP\"."
  [[ "$PORT" =~ ^[1-9][0-9]{0,4}$ ]] && [ "$PORT" -le 65535 ] || die "--port must be a number from 1 to 65535, not \"$PORT\"."
  if [ -n "$DOMAIN" ]; then
    [ "$STOP" = 0 ] || die "--stop is for the laptop camp; on a server use: systemctl stop kith"
    check_domain "$DOMAIN"
  fi
  [ -z "$NEW_BINARY" ] || [ "$UPGRADE" = 1 ] || die "--binary goes with --upgrade."
  [ "$UPGRADE" = 0 ] || [ "$STOP" = 0 ] || die "--upgrade and --stop do not go together."
  if [ -n "$OFFSITE" ]; then
    [ -n "$DOMAIN" ] || die "--offsite is for server installs (with --domain); on this computer run: dist/kith backup --to $OFFSITE"
    # An rclone remote name, a colon, then a path without spaces (it goes on a systemd command line).
    [[ "$OFFSITE" =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]*:[^[:space:]]*$ ]] ||
      die "\"$OFFSITE\" is not an rclone remote and path. Give one like b2:my-bucket/kith (set the remote up with rclone config)."
    OFFSITE="${OFFSITE%/}"
  fi
}

# The off-site target the last install set, so running install.sh again without --offsite keeps it.
remembered_offsite() {
  [ -r "$ENV_FILE" ] && sed -n 's/^KITH_OFFSITE=//p' "$ENV_FILE" | tail -n 1
}

# The settings off-site backups add to kith.env: where to, the passphrase file, rclone's config.
offsite_env() {
  [ -n "$OFFSITE" ] || return 0
  printf 'KITH_OFFSITE=%s\nKITH_BACKUP_PASSPHRASE_FILE=%s\nRCLONE_CONFIG=%s\n' "$OFFSITE" "$PASSPHRASE_FILE" "$RCLONE_CONF"
}

# A random passphrase for the off-site copies, made once and kept (readable by root and kith only).
make_passphrase() {
  if [ -f "$PASSPHRASE_FILE" ]; then return 0; fi
  if [ "$DRY_RUN" = 1 ]; then
    echo "would create: $PASSPHRASE_FILE (a new random passphrase, mode 0640, owner root:kith)"
    return 0
  fi
  mkdir -p "$(dirname "$PASSPHRASE_FILE")"
  (umask 077 && head -c 32 /dev/urandom | base64 | tr -d '/+=\n' | head -c 40 >"$PASSPHRASE_FILE" && echo >>"$PASSPHRASE_FILE")
  chgrp kith "$PASSPHRASE_FILE"
  chmod 0640 "$PASSPHRASE_FILE"
  NEW_PASSPHRASE=1
}

# A public host name: letters, digits and hyphens in dot-separated labels, at least two labels,
# no scheme, port or path.
check_domain() {
  local name="$1"
  local label='[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?'
  if ! [[ "$name" =~ ^$label(\.$label)+$ ]] || [ "${#name}" -gt 253 ] || [[ "$name" =~ ^[0-9.]+$ ]]; then
    die "\"$name\" is not a host name. Give the camp's public name, like camp.example.org (no https://, no port, no path)."
  fi
}

# ---- laptop mode -------------------------------------------------------------------------------

camp_pid() {
  local pid
  pid="$(cat "$LAPTOP_DATA/kith.pid" 2>/dev/null)" || return 1
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  # A stale pid file may name some other program by now: only ever signal a kith.
  { tr '\0' ' ' <"/proc/$pid/cmdline" || ps -p "$pid" -o command=; } 2>/dev/null | grep -q kith || return 1
  echo "$pid"
}

stop_laptop_camp() {
  local pid
  if ! pid="$(camp_pid)"; then
    say "No camp from this folder is running."
    return 0
  fi
  say "Stopping the camp (pid $pid); requests in flight finish first."
  run kill -TERM "$pid"
  [ "$DRY_RUN" = 1 ] && return 0
  for _ in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || { say "Stopped."; return 0; }
    sleep 0.1
  done
  die "the camp (pid $pid) did not stop within 30 seconds. Look at $LAPTOP_LOG, then: kill -KILL $pid"
}

install_dependencies() {
  command -v node >/dev/null && command -v npm >/dev/null ||
    die "Node.js and npm are needed to fetch Bun and the libraries. Install Node.js 20 or later (https://nodejs.org) and run this again."
  # npm ci only when something changed: an up-to-date checkout (as in CI) needs no network at all.
  if [ -x "$ROOT/node_modules/.bin/bun" ] && [ -f "$ROOT/node_modules/.package-lock.json" ] &&
    ! [ "$ROOT/package-lock.json" -nt "$ROOT/node_modules/.package-lock.json" ]; then
    say "Dependencies are up to date (Bun $("$ROOT/node_modules/.bin/bun" --version))."
    return
  fi
  say "Installing Bun and the libraries from the npm registry."
  if [ -f "$ROOT/package-lock.json" ]; then run npm ci --no-audit --no-fund; else run npm install --no-audit --no-fund; fi
}

# Starts dist/kith serve in the background (its pid in LAUNCHED), logging to kith.log.
launch_laptop_camp() {
  say "Starting the camp on http://localhost:$PORT with data in $LAPTOP_DATA"
  if [ "$DRY_RUN" = 1 ]; then
    echo "would run: $ROOT/dist/kith serve --data $LAPTOP_DATA --port $PORT >$LAPTOP_LOG 2>&1 &"
    return
  fi
  [ -f "$LAPTOP_LOG" ] && mv -f "$LAPTOP_LOG" "$LAPTOP_LOG.1"
  : >"$LAPTOP_LOG"
  # The camp runs in the background, detached from this terminal, so this script can return.
  nohup "$ROOT/dist/kith" serve --data "$LAPTOP_DATA" --port "$PORT" --domain "localhost:$PORT" >>"$LAPTOP_LOG" 2>&1 </dev/null &
  LAUNCHED=$!
}

start_laptop_camp() {
  launch_laptop_camp
  [ "$DRY_RUN" = 1 ] && return
  local pid=$LAUNCHED
  for _ in $(seq 1 300); do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "--- $LAPTOP_LOG ---" >&2
      tail -n 20 "$LAPTOP_LOG" >&2
      die "the camp stopped right after starting (see above). Is port $PORT taken? Try ./install.sh --port 8081"
    fi
    grep -q '"message":"serving"' "$LAPTOP_LOG" && break
    sleep 0.1
  done
  grep -q '"message":"serving"' "$LAPTOP_LOG" || die "the camp did not start within 30 seconds; see $LAPTOP_LOG"
  # A camp without an operator prints its setup link before it logs "serving".
  local link
  link="$(grep -o 'http://[^ ]*/setup/[A-Za-z0-9_-]*' "$LAPTOP_LOG" | tail -n 1 || true)"
  announce_camp "$link" "http://localhost:$PORT"
  [ -n "$link" ] || echo "Forgot the password? $ROOT/dist/kith reset-link HANDLE --data $LAPTOP_DATA --port $PORT"
  cat <<EOF

  log:    $LAPTOP_LOG
  data:   $LAPTOP_DATA   (back it up with: dist/kith backup camp.tar --data data)
  stop:   ./install.sh --stop      (or: kill \$(cat data/kith.pid))
  update: git pull && ./install.sh
EOF
}

laptop() {
  case "$(uname -s)" in
    Linux | Darwin) ;;
    *) die "this script runs on Linux and macOS; on $(uname -s), use WSL or follow the README by hand." ;;
  esac
  if [ "$STOP" = 1 ]; then
    stop_laptop_camp
    return
  fi
  if [ "$UPGRADE" = 1 ]; then
    upgrade_laptop_camp
    return
  fi
  install_dependencies
  say "Building dist/kith."
  run "$DEPLOY/build.sh"
  stop_laptop_camp
  start_laptop_camp
}

# What deploy/upgrade.sh needs to upgrade the laptop camp.
upgrade_laptop_camp() {
  CAMP_BINARY="$ROOT/dist/kith" CAMP_BACKUPS="$ROOT/backups" CAMP_PORT="$PORT"
  camp_stop() {
    stop_laptop_camp
    # A new binary that never wrote its pid file is still ours to stop.
    if [ -n "${LAUNCHED:-}" ] && kill -0 "$LAUNCHED" 2>/dev/null; then kill -TERM "$LAUNCHED"; wait "$LAUNCHED" 2>/dev/null || true; fi
  }
  camp_start() { launch_laptop_camp; }
  camp_running() { kill -0 "$LAUNCHED" 2>/dev/null; }
  kith_as_camp() { run "$CAMP_BINARY" "$@" --data "$LAPTOP_DATA"; }
  camp_log() { echo "$LAPTOP_LOG.1 (the new version's run) and $LAPTOP_LOG"; }
  local new="$NEW_BINARY"
  if [ -z "$new" ]; then
    install_dependencies
    say "Building the new version into dist/kith-upgrade."
    run "$DEPLOY/build.sh" "$ROOT/dist/kith-upgrade"
    new="$ROOT/dist/kith-upgrade"
  fi
  upgrade_camp "$new"
}

# ---- server mode -------------------------------------------------------------------------------

check_server_os() {
  [ "$(uname -s)" = Linux ] || die "server mode is for Debian or Ubuntu Linux; this is $(uname -s)."
  [ -r "$OS_RELEASE" ] || die "cannot tell which Linux this is ($OS_RELEASE is missing); server mode supports Debian and Ubuntu."
  local id like
  id="$(. "$OS_RELEASE" && echo "${ID:-}")"
  like="$(. "$OS_RELEASE" && echo "${ID_LIKE:-}")"
  case " $id $like " in
    *" debian "* | *" ubuntu "*) ;;
    *) die "server mode supports Debian and Ubuntu, not \"$id\". Use the Docker image (fly.toml) or follow the README by hand." ;;
  esac
  if [ "$DRY_RUN" = 0 ]; then
    [ "$(id -u)" = 0 ] || die "server mode needs root to create the kith user and install the service. Run: sudo ./install.sh --domain $DOMAIN"
    command -v systemctl >/dev/null || die "server mode needs systemd, and systemctl is missing."
  fi
}

server() {
  check_server_os
  say "Setting up the camp https://$DOMAIN (data in $DATA_DIR, $KEEP daily backups kept)."

  say "Installing Caddy (the HTTPS proxy) and Node.js from the distribution's packages."
  run env DEBIAN_FRONTEND=noninteractive apt-get update -q
  local packages="caddy ca-certificates"
  [ -z "$OFFSITE" ] || packages="$packages rclone"
  # Keep a Node.js that is already there (say from nodesource); Debian's npm would clash with it.
  command -v npm >/dev/null || packages="$packages nodejs npm"
  # shellcheck disable=SC2086
  run env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $packages

  say "Building Kith with Bun from the npm registry."
  # Only what the binary needs: no dev tools, no native addons (install scripts off, then Bun's own).
  run npm ci --omit=dev --ignore-scripts --no-audit --no-fund
  run node node_modules/bun/install.js
  run "$DEPLOY/build.sh"

  say "Creating the kith user and the data folder."
  if ! id -u kith >/dev/null 2>&1; then
    run useradd --system --home-dir "$DATA_DIR" --no-create-home --shell /usr/sbin/nologin kith
  fi
  run install -d -o kith -g kith -m 0750 "$DATA_DIR" "$BACKUP_DIR"

  if [ -f "$DATA_DIR/kith.sqlite" ]; then
    say "Backing up the camp before the upgrade."
    run runuser -u kith -- env "KITH_DATA=$DATA_DIR" "KITH_DOMAIN=$DOMAIN" "$BINARY" backup --keep "$KEEP" "$BACKUP_DIR/"
  fi
  run install -m 0755 "$ROOT/dist/kith" "$BINARY.new"
  run mv -f "$BINARY.new" "$BINARY"

  if [ -n "$OFFSITE" ]; then
    say "Setting up encrypted off-site copies to $OFFSITE."
    make_passphrase
    [ -f "$RCLONE_CONF" ] || run install -o kith -g kith -m 0600 /dev/null "$RCLONE_CONF"
  fi
  # No comments in this file: operators pass it to `env $(cat ...)` to run kith with the service's settings.
  { render "$DEPLOY/kith.env"; offsite_env; } | write_file "$ENV_FILE" 0644
  render "$DEPLOY/kith.service" | write_file "$UNIT_DIR/kith.service" 0644
  render "$DEPLOY/kith-backup.service" | write_file "$UNIT_DIR/kith-backup.service" 0644
  render "$DEPLOY/kith-backup.timer" | write_file "$UNIT_DIR/kith-backup.timer" 0644
  render "$DEPLOY/kith-verify.service" | write_file "$UNIT_DIR/kith-verify.service" 0644
  render "$DEPLOY/kith-verify.timer" | write_file "$UNIT_DIR/kith-verify.timer" 0644
  if [ -f "$CADDYFILE" ] && ! grep -q "Kith's install.sh" "$CADDYFILE"; then
    run cp "$CADDYFILE" "$CADDYFILE.before-kith"
  fi
  render "$DEPLOY/Caddyfile" | write_file "$CADDYFILE" 0644

  say "Starting the services."
  local started
  started="$(date +%s)"
  run systemctl daemon-reload
  run systemctl enable --now kith-backup.timer kith-verify.timer
  run systemctl enable kith.service caddy.service
  run systemctl restart kith.service
  run systemctl reload-or-restart caddy.service

  [ "$DRY_RUN" = 1 ] && return 0
  print_server_link "$started"
}

print_server_link() {
  local since="$1" log="" link=""
  # A camp without an operator prints its setup link before it logs "serving".
  for _ in $(seq 1 60); do
    log="$(journalctl -u kith.service --since "@$since" -o cat --no-pager 2>/dev/null || true)"
    grep -q '"message":"serving"' <<<"$log" && break
    sleep 0.5
  done
  link="$(grep -o 'https://[^ ]*/setup/[A-Za-z0-9_-]*' <<<"$log" | tail -n 1 || true)"
  systemctl is-active --quiet kith.service || die "the kith service did not start. See: journalctl -u kith -n 50"
  announce_camp "$link" "https://$DOMAIN"
  cat <<EOF

  Before the link works, the DNS record for $DOMAIN must point at this server and ports 80 and
  443 must be open, so Caddy can get the certificate.

  log:      journalctl -u kith -f
  health:   sudo -u kith env \$(cat $ENV_FILE) kith doctor
  invite:   sudo -u kith env \$(cat $ENV_FILE) kith invite
  backups:  $BACKUP_DIR (daily, newest $KEEP kept; restore drill weekly)
  update:   git pull && sudo ./install.sh --domain $DOMAIN${OFFSITE:+ --offsite $OFFSITE}
EOF
  if [ -z "$OFFSITE" ]; then
    echo
    echo "  Backups stay on this machine. To copy them off it, encrypted: sudo ./install.sh --domain $DOMAIN --offsite REMOTE:PATH"
    return
  fi
  cat <<EOF

  Off-site: each backup is also copied, encrypted, to $OFFSITE. Set up the remote "${OFFSITE%%:*}"
  (once) with:   sudo -u kith rclone config --config $RCLONE_CONF
  then check it: sudo -u kith env \$(cat $ENV_FILE) kith backup --to $OFFSITE
EOF
  if [ "${NEW_PASSPHRASE:-0}" = 1 ]; then
    cat <<EOF

  The off-site copies are encrypted with this passphrase (kept in $PASSPHRASE_FILE).
  Write it down somewhere that is not this server: without it they cannot be restored.

    $(head -n 1 "$PASSPHRASE_FILE")
EOF
  fi
}

# shellcheck source=deploy/upgrade.sh
. "$DEPLOY/upgrade.sh"

# What deploy/upgrade.sh needs to upgrade the server's camp (the kith service).
upgrade_server_camp() {
  check_server_os
  CAMP_BINARY="$BINARY" CAMP_BACKUPS="$BACKUP_DIR" CAMP_PORT="$SERVER_PORT"
  camp_stop() { run systemctl stop kith.service; }
  camp_start() { run systemctl start kith.service; }
  # systemd restarts a failing service; only the wait for /healthz tells.
  camp_running() { true; }
  # shellcheck disable=SC2046 # kith.env holds one NAME=value per line, without spaces.
  kith_as_camp() {
    if [ "$DRY_RUN" = 1 ]; then echo "would run: runuser -u kith -- env \$(cat $ENV_FILE) $BINARY $*"; return 0; fi
    runuser -u kith -- env $(cat "$ENV_FILE") "$BINARY" "$@"
  }
  camp_log() { echo "journalctl -u kith -n 50"; }
  local new="$NEW_BINARY"
  if [ -z "$new" ]; then
    say "Building the new version of Kith."
    run npm ci --omit=dev --ignore-scripts --no-audit --no-fund
    run node node_modules/bun/install.js
    run "$DEPLOY/build.sh" "$ROOT/dist/kith-upgrade"
    new="$ROOT/dist/kith-upgrade"
  fi
  upgrade_camp "$new"
}

parse_args "$@"
[ -n "$OFFSITE" ] || [ -z "$DOMAIN" ] || OFFSITE="$(remembered_offsite || true)"
[ "$DRY_RUN" = 1 ] && say "Dry run: nothing is written and nothing is run."
if [ -n "$DOMAIN" ] && [ "$UPGRADE" = 1 ]; then
  upgrade_server_camp
elif [ -n "$DOMAIN" ]; then
  server
else
  laptop
fi
