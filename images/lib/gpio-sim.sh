#!/usr/bin/env bash
# images/lib/gpio-sim.sh BASE_ROOT OUT_DIR - build the gpio-sim kernel module for the base rootfs's kernel.
#
# Why: Debian 12's kernels are built without CONFIG_GPIO_SIM (and CONFIG_IRQ_SIM), so the qemu test
# machine has no GPIO chip. gpio-sim only uses exported gpiolib/configfs symbols, so it builds out of
# tree: in a throw-away copy of the base rootfs (gcc-12 as used for the Debian kernel, plus the
# matching linux-headers), from drivers/gpio/gpio-sim.c and kernel/irq/irq_sim.c of the matching
# linux-source package. irq_sim.c calls irq_to_desc(), which is not exported to modules; the flow
# handler it installs is handle_simple_irq, so generic_handle_irq() (exported) does the same.
# Result: OUT_DIR/gpio-sim.ko and OUT_DIR/kernel-version. The module is unsigned (taints the kernel).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/common.sh"
base=${1:?usage: gpio-sim.sh BASE_ROOT OUT_DIR}
out=${2:?usage: gpio-sim.sh BASE_ROOT OUT_DIR}
SUITE=${SUITE:-bookworm}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
downloads=${DOWNLOADS:-$out/../downloads}
mkdir -p "$out" "$downloads"

kver=$(ls "$base/usr/lib/modules" | head -1)                                     # 6.1.0-NN-amd64
kpkg=$(chroot "$base" dpkg-query -W -f='${Version}' "linux-image-$kver")          # 6.1.NNN-1
kseries=${kver%%-*}; kseries=${kseries%.*}                                       # 6.1
log "gpio-sim for kernel $kver (package $kpkg, linux-source-$kseries)"

dev=$(mktemp -d "${TMPDIR:-/tmp}/edgenode-gpio-sim.XXXXXX")
cleanup() { chroot_umount "$dev"; rm -rf "$dev"; }
trap cleanup EXIT
cp -a "$base/." "$dev/"
chroot_mount "$dev"
no_daemons "$dev" on
echo "deb $MIRROR $SUITE main" > "$dev/etc/apt/sources.list"
chroot "$dev" apt-get update -qq
DEBIAN_FRONTEND=noninteractive chroot "$dev" apt-get install -y -qq --no-install-recommends \
  gcc make xz-utils "linux-headers-$kver" >"$out/build.log" 2>&1 \
  || { tail -30 "$out/build.log" >&2; die "installing the kernel headers failed (log: $out/build.log)"; }

# Only 3 files are needed from the ~140 MB source package; keep the .deb for the next build.
srcdeb=$(ls "$downloads"/linux-source-"${kseries}_${kpkg}"_*.deb 2>/dev/null | head -1 || true)
if [[ -z $srcdeb ]]; then
  chroot "$dev" sh -c "cd /tmp && apt-get download -qq linux-source-$kseries=$kpkg" >>"$out/build.log" 2>&1 \
    || die "downloading linux-source-$kseries=$kpkg failed (log: $out/build.log)"
  mv "$dev"/tmp/linux-source-"${kseries}"_*.deb "$downloads/"
  srcdeb=$(ls "$downloads"/linux-source-"${kseries}_${kpkg}"_*.deb | head -1)
fi
src=$dev/root/gpio-sim; mkdir -p "$src"
dpkg-deb --fsys-tarfile "$srcdeb" | tar -xO "./usr/src/linux-source-$kseries.tar.xz" \
  | tar -xJ -C "$src" --strip-components=3 "linux-source-$kseries/drivers/gpio/gpio-sim.c" \
      "linux-source-$kseries/drivers/gpio/gpiolib.h" "linux-source-$kseries/kernel/irq/irq_sim.c"
# one module "gpio-sim" = driver + irq_sim helper (object names must differ from the module name)
mv "$src/gpio-sim.c" "$src/gpio_sim_drv.c"
sed -i 's/handle_simple_irq(irq_to_desc(irqnum));/generic_handle_irq(irqnum);/' "$src/irq_sim.c"
grep -q 'generic_handle_irq(irqnum)' "$src/irq_sim.c" || die "irq_sim.c patch did not apply (source changed?)"
printf 'obj-m := gpio-sim.o\ngpio-sim-y := gpio_sim_drv.o irq_sim.o\n' > "$src/Kbuild"
chroot "$dev" make -s -C "/usr/lib/modules/$kver/build" M=/root/gpio-sim modules >>"$out/build.log" 2>&1 \
  || { tail -30 "$out/build.log" >&2; die "building gpio-sim.ko failed (log: $out/build.log)"; }
install -m644 "$src/gpio-sim.ko" "$out/gpio-sim.ko"
echo "$kver" > "$out/kernel-version"
strings "$out/gpio-sim.ko" | grep -E "^vermagic=" >&2 || die "gpio-sim.ko has no vermagic"
