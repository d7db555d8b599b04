# Upgrading a running camp, sourced by install.sh (`--upgrade`): stop the camp, back it up, swap in
# the new binary (keeping the previous one beside it), migrate, start, and wait for /healthz. When
# the new version does not answer within 30 seconds, put back the previous binary and the backup
# taken just before, start that, and say so. The mode (laptop or server) supplies the functions
#   camp_stop, camp_start, camp_running (false once the started camp has exited), kith_as_camp
#   ARGS... (runs a kith command on the camp's data) and camp_log (where to look when it fails),
#   and the variables CAMP_BINARY, CAMP_BACKUPS, CAMP_PORT.

UPGRADE_WAIT_SECONDS=30

# True when the camp on 127.0.0.1:PORT answers GET /healthz with 200 (bash's /dev/tcp: no curl needed).
healthz_ok() {
  local reply
  reply="$( (exec 3<>"/dev/tcp/127.0.0.1/$1" && printf 'GET /healthz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3 && head -n 1 <&3) 2>/dev/null)" || return 1
  [[ "$reply" =~ ^HTTP/1\.[01]\ 200 ]]
}

# Waits up to UPGRADE_WAIT_SECONDS for /healthz; false when the camp never answered (or exited).
wait_for_healthz() {
  local tries=$((UPGRADE_WAIT_SECONDS * 4))
  for _ in $(seq 1 "$tries"); do
    camp_running || return 1
    healthz_ok "$CAMP_PORT" && return 0
    sleep 0.25
  done
  return 1
}

# Upgrades the camp to the binary NEW.
upgrade_camp() {
  local new="$1" backup
  if [ "$DRY_RUN" = 0 ]; then
    [ -x "$new" ] || die "$new is not an executable file; nothing was changed."
    "$new" --help >/dev/null 2>&1 || die "$new does not run (kith --help fails); nothing was changed."
    [ -x "$CAMP_BINARY" ] || die "there is no installed Kith at $CAMP_BINARY to upgrade. Install it first (without --upgrade)."
  fi
  backup="$CAMP_BACKUPS/before-upgrade-$(date -u +%Y%m%d-%H%M%S).tar"

  say "Stopping the camp, so the backup holds everything written until now."
  camp_stop
  # Whatever still answers on the port would pass for the new version below.
  if [ "$DRY_RUN" = 0 ] && healthz_ok "$CAMP_PORT"; then
    die "something still answers on port $CAMP_PORT after stopping the camp (a Kith this script did not start?). Stop it, then run the upgrade again."
  fi
  say "Backing up to $backup"
  run mkdir -p "$CAMP_BACKUPS"
  kith_as_camp backup "$backup" || { camp_start; die "the backup before the upgrade failed (see above); the camp runs the old version again, unchanged."; }
  say "Swapping in the new binary (the previous one stays at $CAMP_BINARY.previous)."
  run cp -p "$CAMP_BINARY" "$CAMP_BINARY.previous"
  run cp "$new" "$CAMP_BINARY.new"
  run mv -f "$CAMP_BINARY.new" "$CAMP_BINARY"
  [ "$DRY_RUN" = 1 ] && { echo "would run: the new camp's migrations, start it, and wait up to ${UPGRADE_WAIT_SECONDS}s for /healthz"; return 0; }

  say "Applying database migrations."
  if kith_as_camp migrate && camp_start && wait_for_healthz; then
    say "Upgraded: the camp answers /healthz on port $CAMP_PORT with the new version."
    return 0
  fi
  roll_back "$backup"
}

# Puts back the previous binary and the backup taken before the upgrade, and starts it.
roll_back() {
  local backup="$1"
  echo "install.sh: the new version did not answer /healthz within ${UPGRADE_WAIT_SECONDS} seconds; rolling back." >&2
  camp_stop
  mv -f "$CAMP_BINARY.previous" "$CAMP_BINARY"
  kith_as_camp restore "$backup" || die "the previous binary is back, but restoring $backup failed (see above). Run: kith restore $backup"
  camp_start
  wait_for_healthz || die "rolled back to the previous binary and $backup, but the camp still does not answer /healthz. Look at: $(camp_log)"
  die "the upgrade failed and was rolled back: the camp runs the previous version on the data from just before ($backup). See why the new one failed: $(camp_log)"
}
