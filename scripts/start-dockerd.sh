#!/usr/bin/env bash
# Starts a Docker Engine in the background when none answers, and builds the test images
# (no registry is reachable here: images are imported from a busybox-static rootfs).
set -euo pipefail
sock=${DOCKER_SOCK:-/var/run/docker.sock}

if ! docker -H "unix://$sock" version >/dev/null 2>&1; then
  command -v dockerd >/dev/null || { echo "start-dockerd: dockerd is not installed (run scripts/install-deps.sh)"; exit 1; }
  echo "start-dockerd: starting dockerd (log: /tmp/dockerd.log)"
  nohup dockerd --live-restore >/tmp/dockerd.log 2>&1 &
  for _ in $(seq 1 100); do
    docker -H "unix://$sock" version >/dev/null 2>&1 && break
    sleep 0.2
  done
  docker -H "unix://$sock" version >/dev/null 2>&1 || { echo "start-dockerd: engine did not answer"; tail -20 /tmp/dockerd.log; exit 1; }
fi

if ! docker image inspect edgenode/busybox:test >/dev/null 2>&1; then
  r=$(mktemp -d)
  mkdir -p "$r/bin" "$r/tmp"
  cp /bin/busybox "$r/bin/"
  for c in sh sleep echo cat ls httpd wget true false kill date; do ln -sf busybox "$r/bin/$c"; done
  tar -C "$r" -c . | docker import --change 'CMD ["/bin/sh","-c","sleep 3600"]' - edgenode/busybox:test >/dev/null
  rm -rf "$r"
  echo "start-dockerd: imported edgenode/busybox:test"
fi
echo "start-dockerd: engine ready"
