#!/usr/bin/env bash
# images/deb/build-deb.sh - the edgenode-agent Debian package, built with dpkg-deb.
#
#   images/deb/build-deb.sh [--binary PATH] [--out DIR] [--version VER]
#
# Contents:
#   /usr/bin/edgenode-agent                       the native-AOT binary (scripts/publish-agent.sh)
#   /lib/systemd/system/edgenode-agent.service    images/systemd/edgenode-agent.service
#   /etc/edgenode/agent.json                      default config (conffile), images/config/agent.json
#   /usr/share/edgenode/profiles/*.json           hardware profiles, hal/profiles/
#   /usr/share/doc/edgenode-agent/README          images/README.md
#   DEBIAN/postinst, prerm, postrm                enable (chroot-safe) / stop / disable the service
# Depends: the packages owning the binary's NEEDED libraries (found with dpkg -S on this Debian 12
# build host). Prints the path of the .deb on stdout.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
images=$(dirname "$here")
repo=$(dirname "$images")
source "$images/lib/common.sh"

binary=$repo/artifacts/agent/linux-x64/edgenode-agent
out=$images/out
version=
while (($#)); do
  case $1 in
    --binary) binary=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --version) version=$2; shift 2 ;;
    *) die "unknown argument '$1' (usage: build-deb.sh [--binary PATH] [--out DIR] [--version VER])" ;;
  esac
done
[[ -f $binary ]] || die "agent binary '$binary' not found: run scripts/publish-agent.sh first"
[[ -x $binary ]] || die "agent binary '$binary' is not executable"
file_type=$(head -c 4 "$binary" | od -An -c | tr -d ' ')
[[ $file_type == 177ELF ]] || die "agent binary '$binary' is not an ELF executable"

if [[ -z $version ]]; then
  # Debian version: base version + commit, so a rebuilt binary gets a distinct, sortable version.
  rev=$(git -C "$repo" rev-parse --short=10 HEAD 2>/dev/null || echo nogit)
  dirty=$(git -C "$repo" status --porcelain -- agent hal link 2>/dev/null | grep -q . && echo .dirty || true)
  version="0.1.0~git$(git -C "$repo" log -1 --format=%cd --date=format:%Y%m%d%H%M 2>/dev/null || echo 0).$rev$dirty"
fi

stage=$(mktemp -d "${TMPDIR:-/tmp}/edgenode-deb.XXXXXX")
trap 'rm -rf "$stage"' EXIT
install -D -m 0755 "$binary" "$stage/usr/bin/edgenode-agent"
install -D -m 0644 "$images/systemd/edgenode-agent.service" "$stage/lib/systemd/system/edgenode-agent.service"
install -D -m 0640 "$images/config/agent.json" "$stage/etc/edgenode/agent.json"
for p in "$repo"/hal/profiles/*.json; do   # the HAL owns the profile format and the shipped profiles
  install -D -m 0644 "$p" "$stage/usr/share/edgenode/profiles/${p##*/}"
done
install -D -m 0644 "$images/README.md" "$stage/usr/share/doc/edgenode-agent/README"

# Depends from the binary's dynamic libraries (libc6 at least).
deps=$(objdump -p "$binary" | awk '/NEEDED/{print $2}' | while read -r lib; do
         path=$(ldconfig -p | awk -v l="$lib" '$1==l && /x86-64/{print $NF; exit}')
         [[ -n $path ]] || die "library $lib needed by the agent is not on this build host"
         # usrmerge: dpkg may know the file under /lib or under /usr/lib
         { dpkg -S "$path" 2>/dev/null || dpkg -S "$(readlink -f "$path")" 2>/dev/null || true; } | head -1 | cut -d: -f1
       done | sort -u)
depends=$(for d in $deps; do
            v=$(dpkg-query -W -f='${Version}' "$d" | sed 's/-[^-]*$//')
            printf '%s (>= %s), ' "$d" "$v"
          done | sed 's/, $//')
[[ -n $depends ]] || depends="libc6"

mkdir -p "$stage/DEBIAN"
size=$(du -sk --exclude=DEBIAN "$stage" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@SIZE@/$size/" -e "s/@DEPENDS@/$depends/" "$here/control.in" > "$stage/DEBIAN/control"
echo /etc/edgenode/agent.json > "$stage/DEBIAN/conffiles"
install -m 0755 "$here/postinst" "$here/prerm" "$here/postrm" "$stage/DEBIAN/"

mkdir -p "$out"
deb=$out/edgenode-agent_${version}_amd64.deb
rm -f "$out"/edgenode-agent_*_amd64.deb
dpkg-deb --root-owner-group -Zgzip --build "$stage" "$deb" >/dev/null
log "built $deb ($(du -h "$deb" | cut -f1)); Depends: $depends"
echo "$deb"
