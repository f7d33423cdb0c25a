#!/usr/bin/env bash
# Installs, idempotently, every Debian package the tests and the image build need.
# A package already installed is skipped; apt-get runs only when something is missing.
set -euo pipefail

packages=(
  libcoap3-bin            # foreign CoAP/DTLS peer (coap-client-*, coap-server-*) for interop tests
  docker.io               # a real Docker Engine for the supervisor tests
  busybox-static          # rootfs for test container images (docker import, no registry here)
  qemu-system-x86         # boots the factory image in the e2e suite (TCG)
  qemu-utils
  debootstrap             # builds the factory image
  e2fsprogs               # mkfs.ext4 -d
  dpkg-dev                # dpkg-deb for the agent package
  socat
  gpiod                   # gpioinfo etc. (also installed inside the image)
  chromium                # headless dashboard test
  chromium-driver
  sqlite3
  iproute2
  procps
  curl
  # linux-arm64 agent (scripts/publish-agent.sh linux-arm64): clang drives the cross link (--target=aarch64-linux-gnu),
  # the cross gcc brings aarch64 binutils (ld.bfd, objcopy), crt files and libgcc; no dpkg --add-architecture needed
  # (zlib/brotli come as static libs in the runtime pack). qemu-user runs the arm64 binary on this x86-64 host.
  clang-14
  gcc-aarch64-linux-gnu
  libc6-dev-arm64-cross
  qemu-user
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/tmp/edgenode-apt.log 2>&1 || {
  tail -40 /tmp/edgenode-apt.log; exit 1; }
echo "install-deps: done"
