#!/usr/bin/env bash
# images/lib/base-rootfs.sh ROOT - the expensive, rarely changing part of the factory image:
# debootstrap (minbase) of Debian 12 plus the packages in base-packages.txt (kernel, systemd,
# docker.io, gpiod, ...). build-image.sh caches the result keyed by a hash of this file,
# base-packages.txt, SUITE and MIRROR, so it runs only when one of those changes.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/common.sh"
root=${1:?usage: base-rootfs.sh ROOT}
SUITE=${SUITE:-bookworm}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
logdir=${LOGDIR:-$(dirname "$root")}

mapfile -t pkgs < <(grep -v '^\s*#' "$here/base-packages.txt" | grep -v '^\s*$')

rm -rf "$root"; mkdir -p "$root"
trap 'chroot_umount "$root"' EXIT

log "debootstrap $SUITE (minbase) into $root"
debootstrap --variant=minbase "$SUITE" "$root" "$MIRROR" >"$logdir/debootstrap.log" 2>&1 \
  || { tail -30 "$logdir/debootstrap.log" >&2; die "debootstrap failed (log: $logdir/debootstrap.log)"; }

# fstab before the kernel, so update-initramfs sees the root entry (pass 1 -> fsck in the initramfs).
echo '/dev/vda / ext4 defaults,errors=remount-ro 0 1' > "$root/etc/fstab"
# A small initramfs: only what mounts ext4 on virtio-blk. FSTYPE=ext4 because the fsck hook would
# otherwise probe the (nonexistent in a chroot) root device and leave e2fsck out.
mkdir -p "$root/etc/initramfs-tools/conf.d"
printf 'MODULES=list\nFSTYPE=ext4\n' > "$root/etc/initramfs-tools/conf.d/edgenode.conf"
printf '%s\n' virtio_pci virtio_blk ext4 crc32c_generic > "$root/etc/initramfs-tools/modules"

chroot_mount "$root"
no_daemons "$root" on
echo "deb $MIRROR $SUITE main" > "$root/etc/apt/sources.list"
chroot "$root" apt-get update -qq
log "apt-get install ${pkgs[*]}"
DEBIAN_FRONTEND=noninteractive chroot "$root" apt-get install -y -qq --no-install-recommends "${pkgs[@]}" \
  >"$logdir/base-apt.log" 2>&1 || { tail -30 "$logdir/base-apt.log" >&2; die "apt-get install failed (log: $logdir/base-apt.log)"; }
chroot "$root" apt-get clean
no_daemons "$root" off
chroot_umount "$root"

# trim what a headless unit never reads
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/usr/share/{doc,man,info}/*
find "$root/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} + 2>/dev/null || true
log "base rootfs ready: $(du -sm "$root" | cut -f1) MiB"
