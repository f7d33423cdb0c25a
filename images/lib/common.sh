# images/lib/common.sh - helpers sourced by the image build scripts (bash, run as root).
# shellcheck shell=bash

# log MSG...: a progress line on stderr, prefixed with the script name and the time.
log() { printf '%s %s: %s\n' "$(date +%T)" "${0##*/}" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# step NAME CMD...: run CMD and record how long it took in $TIMES (if set).
step() {
  local name=$1; shift
  local t0; t0=$(date +%s.%N)
  log "$name ..."
  "$@" || die "step '$name' failed"
  local dt; dt=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')
  log "$name done in ${dt} s"
  [[ -n ${TIMES:-} ]] && printf '%-24s %7s s\n' "$name" "$dt" >> "$TIMES"
  return 0
}

# hash_inputs FILE|STRING...: a short sha256 over the contents of the given files and literal strings.
hash_inputs() {
  local a
  for a in "$@"; do
    if [[ -f $a ]]; then printf 'file:%s\n' "${a##*/}"; cat "$a"; else printf 'str:%s\n' "$a"; fi
  done | sha256sum | cut -c1-16
}

# chroot_mount ROOT / chroot_umount ROOT: the pseudo file systems a chroot apt/dpkg run needs.
chroot_mount() {
  local r=$1
  mountpoint -q "$r/proc" || mount -t proc proc "$r/proc"
  mountpoint -q "$r/sys" || mount -t sysfs sys "$r/sys"
  mountpoint -q "$r/dev" || mount --bind /dev "$r/dev"
  mountpoint -q "$r/dev/pts" || mount --bind /dev/pts "$r/dev/pts"
}
chroot_umount() {
  local r=$1 m
  for m in dev/pts dev sys proc; do
    if mountpoint -q "$r/$m"; then umount "$r/$m" 2>/dev/null || umount -l "$r/$m"; fi
  done
}

# no_daemons ROOT on|off: a policy-rc.d that keeps maintainer scripts from starting services in the chroot.
no_daemons() {
  local r=$1
  if [[ $2 == on ]]; then
    printf '#!/bin/sh\nexit 101\n' > "$r/usr/sbin/policy-rc.d"; chmod 755 "$r/usr/sbin/policy-rc.d"
  else
    rm -f "$r/usr/sbin/policy-rc.d"
  fi
}
