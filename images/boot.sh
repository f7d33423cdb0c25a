#!/usr/bin/env bash
# images/boot.sh - boot the factory image by hand under qemu (TCG; KVM does not work on these hosts).
#
#   images/boot.sh [--pristine] [--no-e2e] [DISK]
#
# DISK defaults to images/out/dev-disk.qcow2, a copy-on-write overlay on images/out/edgenode-factory.img
# (created on first use; --pristine recreates it = a unit fresh from the factory). The factory image
# itself is never written. The serial console is this terminal (Ctrl-a x quits qemu).
# With e2e support (default), the control channel listens on images/out/dev-ctl.sock:
#   socat - UNIX-CONNECT:images/out/dev-ctl.sock     then type: 1 $(echo 'systemctl status' | base64 -w0)
# The guest reaches a hub on the host's 127.0.0.1 as 10.0.2.2 (user networking).
# Env: MEM (1024), SMP (2), HUB_FWD (extra ",hostfwd=..." for slirp).
set -euo pipefail
images=$(cd "$(dirname "$0")" && pwd)
out=$images/out
pristine=0; e2e=1
while (($#)); do
  case $1 in
    --pristine) pristine=1; shift ;;
    --no-e2e) e2e=0; shift ;;
    -*) echo "boot.sh: unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
disk=${1:-$out/dev-disk.qcow2}
[[ -f $out/edgenode-factory.img ]] || { echo "boot.sh: no image; run images/build-image.sh" >&2; exit 1; }
if ((pristine)) || [[ ! -f $disk ]]; then
  rm -f "$disk"
  qemu-img create -q -f qcow2 -b "$out/edgenode-factory.img" -F raw "$disk"
fi
# no_timer_check: on a CPU-starved TCG host the IO-APIC timer check can fail and panic the kernel
append="root=/dev/vda ro console=ttyS0 quiet no_timer_check"
extra=()
if ((e2e)); then
  append+=" edgenode.e2e=1"
  rm -f "$out/dev-ctl.sock"
  extra+=(-chardev "socket,id=e2e,path=$out/dev-ctl.sock,server=on,wait=off"
          -device virtio-serial-pci -device virtserialport,chardev=e2e,name=org.edgenode.e2e)
fi
exec qemu-system-x86_64 -nodefaults -no-user-config -nographic \
  -accel tcg -cpu max -smp "${SMP:-2}" -m "${MEM:-1024}" -M pc \
  -kernel "$out/vmlinuz" -initrd "$out/initrd.img" -append "$append" \
  -drive "file=$disk,format=qcow2,if=virtio,cache=none" \
  -netdev "user,id=n0${HUB_FWD:-}" -device virtio-net-pci,netdev=n0,romfile= \
  -device i6300esb -action watchdog=reset \
  -serial mon:stdio "${extra[@]}"
