#!/usr/bin/env bash
# images/build-image.sh - the EdgeNode factory image for the qemu test machine ("qemu-ipc").
#
#   images/build-image.sh            (run as root, after scripts/publish-agent.sh)
#
# Result in images/out/ (gitignored):
#   edgenode-factory.img   raw ext4 file system (no partition table), root=/dev/vda
#   vmlinuz, initrd.img    the image's kernel and initramfs, for qemu -kernel/-initrd
#   edgenode-agent_*.deb   the agent package the image installed
#   image-manifest.txt     what went in (versions, cache keys) and how long each step took
#
# Stages (the expensive ones are cached in images/out/cache/, keyed by a hash of their inputs):
#   base      debootstrap minbase + kernel + systemd + docker.io + gpiod ... (lib/base-rootfs.sh;
#             key: that script, lib/base-packages.txt, SUITE, MIRROR)                   ~45-90 s
#   gpio-sim  out-of-tree gpio-sim.ko for the base's kernel (lib/gpio-sim.sh; key: script + base)
#                                                                                          ~30-75 s
#   apps      docker-saved test app tarballs for the image cache (apps/build-app-cache.sh;
#             key: script + the host's busybox)                                              ~2 s
#   deb       the agent .deb (deb/build-deb.sh), always                                      ~1 s
#   assemble  overlay on the cached base, dpkg -i the .deb, factory config, qemu-ipc machine
#             files, e2e support, gpio-sim.ko, image cache; mkfs.ext4 -d                   ~20-40 s
# So a new agent binary costs only deb + assemble.
#
# Env: SUITE (bookworm), MIRROR (http://deb.debian.org/debian), AGENT_BIN (artifacts/agent/
# linux-x64/edgenode-agent), EXTRA_MB (free space in the image, 768), OUT (images/out),
# E2E_SUPPORT=0 leaves the e2e test support (control channel, console markers) out.
set -euo pipefail
images=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$images")
source "$images/lib/common.sh"

export SUITE=${SUITE:-bookworm}
export MIRROR=${MIRROR:-http://deb.debian.org/debian}
OUT=${OUT:-$images/out}
AGENT_BIN=${AGENT_BIN:-$repo/artifacts/agent/linux-x64/edgenode-agent}
EXTRA_MB=${EXTRA_MB:-768}
E2E_SUPPORT=${E2E_SUPPORT:-1}
MACHINE=qemu-ipc
cache=$OUT/cache
work=$OUT/work

(($# == 0)) || die "no arguments expected (see the header of $0 for the environment knobs)"
((EUID == 0)) || die "must run as root (debootstrap, chroot, mounts)"
for t in debootstrap mkfs.ext4 dpkg-deb docker objdump; do
  command -v "$t" >/dev/null || die "'$t' is missing: run scripts/install-deps.sh"
done
[[ -f $AGENT_BIN ]] || die "agent binary '$AGENT_BIN' not found: run scripts/publish-agent.sh first"

mkdir -p "$OUT" "$cache" "$cache/downloads"
TIMES=$OUT/build-times.txt; : > "$TIMES"; export TIMES
t_start=$(date +%s.%N)

# ---- base rootfs (cached) ----------------------------------------------------------------------
base_key=$(hash_inputs "$images/lib/base-rootfs.sh" "$images/lib/base-packages.txt" "$SUITE" "$MIRROR")
base=$cache/base-$base_key
build_base() {
  rm -rf "$base.tmp"; mkdir -p "$base.tmp"
  LOGDIR=$base.tmp "$images/lib/base-rootfs.sh" "$base.tmp/rootfs"
  rm -rf "$base"; mv "$base.tmp" "$base"
}
if [[ -d $base/rootfs ]]; then log "base rootfs: cached ($base_key)"; else step "base rootfs" build_base; fi
for old in "$cache"/base-*; do [[ $old == "$base" ]] || rm -rf "$old"; done
kver=$(ls "$base/rootfs/usr/lib/modules" | head -1)
[[ -n $kver ]] || die "the base rootfs has no kernel modules directory (broken cache? rm -rf $base)"

# ---- gpio-sim.ko (cached) ----------------------------------------------------------------------
gs_key=$(hash_inputs "$images/lib/gpio-sim.sh" "$base_key" "$kver")
gpiosim=$cache/gpio-sim-$gs_key
build_gpiosim() {
  rm -rf "$gpiosim.tmp"
  DOWNLOADS=$cache/downloads "$images/lib/gpio-sim.sh" "$base/rootfs" "$gpiosim.tmp"
  rm -rf "$gpiosim"; mv "$gpiosim.tmp" "$gpiosim"
}
if [[ -f $gpiosim/gpio-sim.ko ]]; then log "gpio-sim.ko: cached ($gs_key)"; else step "gpio-sim module" build_gpiosim; fi
for old in "$cache"/gpio-sim-*; do [[ $old == "$gpiosim" ]] || rm -rf "$old"; done

# ---- app image cache (cached) ------------------------------------------------------------------
apps_key=$(hash_inputs "$images/apps/build-app-cache.sh" "$(sha256sum /bin/busybox 2>/dev/null | cut -c1-64)")
apps=$cache/apps-$apps_key
build_apps() { rm -rf "$apps.tmp"; "$images/apps/build-app-cache.sh" "$apps.tmp"; rm -rf "$apps"; mv "$apps.tmp" "$apps"; }
if [[ -f $apps/index.json ]]; then log "app image cache: cached ($apps_key)"; else step "app image cache" build_apps; fi
for old in "$cache"/apps-*; do [[ $old == "$apps" ]] || rm -rf "$old"; done

# ---- the agent package ------------------------------------------------------------------------
build_deb() { deb=$("$images/deb/build-deb.sh" --binary "$AGENT_BIN" --out "$OUT"); }
step "agent .deb" build_deb

# ---- assemble: an overlay on the cached base, so the base stays pristine ----------------------
root=$work/root
cleanup() {
  chroot_umount "$root" 2>/dev/null || true
  mountpoint -q "$root" && { umount "$root" 2>/dev/null || umount -l "$root"; }
  return 0
}
trap cleanup EXIT
cleanup
rm -rf "$work"; mkdir -p "$work/upper" "$work/ovl" "$root"
if ! mount -t overlay overlay -o "lowerdir=$base/rootfs,upperdir=$work/upper,workdir=$work/ovl" "$root" 2>/dev/null; then
  log "overlayfs unavailable: copying the base rootfs instead"
  cp -a "$base/rootfs/." "$root/"
fi

assemble() {
  chroot_mount "$root"
  no_daemons "$root" on
  # the agent, installed like any other package (its postinst enables the service in the chroot)
  cp "$deb" "$root/tmp/"
  chroot "$root" dpkg -i "/tmp/${deb##*/}" >"$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log" >&2; return 1; }
  rm -f "$root/tmp/${deb##*/}"
  [[ -L $root/etc/systemd/system/multi-user.target.wants/edgenode-agent.service ]] \
    || { log "postinst did not enable edgenode-agent.service"; return 1; }
  no_daemons "$root" off
  chroot_umount "$root"

  # files every factory image carries (network, docker live-restore, watchdog ownership)
  cp -a "$images/rootfs/." "$root/"
  # the factory config for this machine model (replaces the package's default conffile)
  install -m 0640 "$images/config/factory-$MACHINE.json" "$root/etc/edgenode/agent.json"
  # the machine's hardware: gpio-sim module + the chip setup unit
  install -D -m 0644 "$gpiosim/gpio-sim.ko" "$root/usr/lib/modules/$kver/updates/gpio-sim.ko"
  chroot "$root" depmod -a "$kver"
  cp -a "$images/machines/$MACHINE/." "$root/"
  mkdir -p "$root/etc/systemd/system/sysinit.target.wants"
  ln -sf /etc/systemd/system/edgenode-gpio-sim.service "$root/etc/systemd/system/sysinit.target.wants/"
  ln -sf /lib/systemd/system/systemd-networkd.service "$root/etc/systemd/system/multi-user.target.wants/"
  # pre-populated image cache of app tarballs (docker save), loaded by the agent's supervisor
  install -d -m 0750 "$root/var/lib/edgenode"
  install -d -m 0755 "$root/var/lib/edgenode/image-cache"
  install -m 0644 "$apps"/*.tar "$apps/index.json" "$root/var/lib/edgenode/image-cache/"
  # e2e test support (inactive unless the kernel command line has edgenode.e2e=1)
  if [[ $E2E_SUPPORT == 1 ]]; then
    cp -a "$images/e2e/." "$root/"
    local u
    for u in edgenode-e2e-ctl edgenode-e2e-boot-marker edgenode-e2e-agent-marker edgenode-e2e-hub-redirect; do
      ln -sf "/etc/systemd/system/$u.service" "$root/etc/systemd/system/multi-user.target.wants/"
    done
  fi
  # persistent journald (post-mortem after a watchdog reset or a pulled plug)
  install -d -m 2755 "$root/var/log/journal"
  # every unit generates its own machine id on first boot
  : > "$root/etc/machine-id"; rm -f "$root/var/lib/dbus/machine-id"
  # image identity, for support and for the tests
  {
    echo "EDGENODE_IMAGE_MACHINE=$MACHINE"
    echo "EDGENODE_IMAGE_BUILT=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "EDGENODE_AGENT_PACKAGE=$(dpkg-deb -f "$deb" Version)"
    echo "EDGENODE_AGENT_SHA256=$(sha256sum "$AGENT_BIN" | cut -c1-64)"
  } > "$root/etc/edgenode/image-release"
}
step "assemble rootfs" assemble

make_image() {
  cp -L "$root/vmlinuz" "$OUT/vmlinuz.tmp"; mv "$OUT/vmlinuz.tmp" "$OUT/vmlinuz"
  cp -L "$root/initrd.img" "$OUT/initrd.img.tmp"; mv "$OUT/initrd.img.tmp" "$OUT/initrd.img"
  local used_mb size_mb img=$OUT/edgenode-factory.img
  used_mb=$(du -sm --apparent-size "$root" | cut -f1)
  size_mb=$((used_mb * 12 / 10 + EXTRA_MB))
  rm -f "$img.tmp"; truncate -s "${size_mb}M" "$img.tmp"
  mkfs.ext4 -q -L edgenode-root -d "$root" "$img.tmp"
  # On disk before it takes the name (a crash of the build host leaves the old image or none, never half of one);
  # this also keeps ~1 GB of dirty pages from stalling the fsyncs of whatever runs next (ext4 commits them together).
  sync "$img.tmp"
  mv "$img.tmp" "$img"
  log "rootfs $used_mb MiB -> image $size_mb MiB ($(du -h "$img" | cut -f1) allocated)"
}
step "mkfs.ext4 -d" make_image
cleanup; rm -rf "$work"

total=$(awk -v a="$t_start" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')
{
  echo "image:        $OUT/edgenode-factory.img"
  echo "machine:      $MACHINE"
  echo "kernel:       $kver"
  echo "agent deb:    ${deb##*/}"
  echo "cache keys:   base=$base_key gpio-sim=$gs_key apps=$apps_key"
  echo "built:        $(date -u +%Y-%m-%dT%H:%M:%SZ) in $total s"
  echo "steps:"; sed 's/^/  /' "$TIMES"
} > "$OUT/image-manifest.txt"
cat "$OUT/image-manifest.txt" >&2
