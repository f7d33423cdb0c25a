#!/usr/bin/env bash
# images/apps/build-app-cache.sh OUT_DIR - the app images pre-populated in the factory image's cache.
#
# No registry is reachable from a unit (nor from this build host), so apps ship as `docker save`
# tarballs in the agent's image cache (/var/lib/edgenode/image-cache/ in the image) and the agent
# `docker load`s them. The test app is busybox-based, built here from the host's /bin/busybox
# (busybox-static) with `docker import` on the host's engine:
#   edgenode/e2e-app:1   busybox; default command: a loop that keeps the container running and
#                        handles SIGTERM; apps get their real command from the desired state.
# Output: OUT_DIR/<repo>_<tag>.tar (slashes -> '_') and OUT_DIR/index.json
#   { "images": [ { "ref": "edgenode/e2e-app:1", "file": "edgenode_e2e-app_1.tar", "id": "sha256:..." } ] }
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../lib/common.sh"
out=${1:?usage: build-app-cache.sh OUT_DIR}
busybox=${BUSYBOX:-/bin/busybox}
docker version >/dev/null 2>&1 || die "no docker engine answers on this host (scripts/start-dockerd.sh starts one)"
[[ -x $busybox ]] || die "$busybox not found (apt-get install busybox-static)"
file "$busybox" 2>/dev/null | grep -q 'dynamically linked' && die "$busybox is dynamically linked; the app image needs busybox-static"

mkdir -p "$out"
r=$(mktemp -d); trap 'rm -rf "$r"' EXIT
mkdir -p "$r/bin" "$r/tmp" "$r/data" "$r/etc"
chmod 1777 "$r/tmp"
cp "$busybox" "$r/bin/busybox"
for c in sh ash sleep echo cat ls httpd wget true false kill date seq head tail wc sync dd touch mkdir rm printf env hostname grep sed; do
  ln -sf busybox "$r/bin/$c"
done
echo "edgenode e2e app v1" > "$r/etc/e2e-app-version"

declare -A refs=( ["edgenode/e2e-app:1"]="trap 'exit 0' TERM INT; while :; do sleep 1; done" )
index='{ "images": ['
sep=
for ref in "${!refs[@]}"; do
  cmd=${refs[$ref]}
  tar -C "$r" -c . | docker import --change "CMD [\"/bin/sh\",\"-c\",\"$cmd\"]" --change "LABEL org.edgenode.e2e=1" - "$ref" >/dev/null
  file=$(echo "$ref" | tr '/:' '__').tar
  docker save -o "$out/$file" "$ref"
  id=$(docker image inspect -f '{{.Id}}' "$ref")
  index+="$sep { \"ref\": \"$ref\", \"file\": \"$file\", \"id\": \"$id\" }"; sep=,
  log "cached $ref ($id) as $file ($(du -h "$out/$file" | cut -f1))"
done
index+=' ] }'
echo "$index" > "$out/index.json"
