#!/usr/bin/env bash
# scripts/smoke-arm64.sh [BINARY]: runs the cross-published linux-arm64 agent under qemu user emulation (this host is
# x86-64): --version, then a real start with simulated hardware and no hub (first boot: state directory, journal,
# READY), then a clean stop (SIGTERM -> exit 0). Catches what a cross build cannot: architecture-specific constants in
# the P/Invoke layer (open flags, ioctl numbers) and a binary that does not start.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-artifacts/agent/linux-arm64/edgenode-agent}
run=(qemu-aarch64 -L /usr/aarch64-linux-gnu "$bin")
die() { echo "smoke-arm64: $*" >&2; exit 1; }
[[ -x $bin ]] || die "$bin missing (scripts/publish-agent.sh linux-arm64)"

version=$("${run[@]}" --version) || die "--version failed"
[[ $version == "edgenode-agent "* ]] || die "--version printed '$version'"

d=$(mktemp -d /tmp/edgenode-arm64-smoke.XXXXXX)
pid=
cleanup() { [[ -n $pid ]] && kill -KILL "$pid" 2>/dev/null; rm -rf "$d"; }   # never "kill 0": that is our process group
trap cleanup EXIT
cat >"$d/profile.json" <<J
{ "model": "smoke", "gpioChip": "gpiochip0",
  "leds": { "status-green": { "line": 0 }, "status-red": { "line": 1 }, "status-amber": { "line": 2 } } }
J
cat >"$d/agent.json" <<J
{ "hardwareProfile": "$d/profile.json", "model": "smoke", "hardwareId": "arm64-smoke",
  "hub": { "addresses": ["127.0.0.1"], "port": 9, "reconnectMaxSeconds": 5, "requestTimeoutSeconds": 2 },
  "enrollment": { "identity": "fleet-smoke", "key": "hex:00112233445566778899aabbccddeeff" },
  "docker": { "endpoint": "unix://$d/no-engine.sock", "imageCacheDir": "$d/cache" },
  "capacity": { "memoryMb": 512, "cpuMillis": 1000 }, "stateDirectory": "$d/state", "freezeFlagPath": "$d/freeze" }
J
"${run[@]}" --config "$d/agent.json" --simulate-hardware >"$d/out.log" 2>&1 &
pid=$!
for _ in $(seq 600); do   # up to 60 s for READY (qemu-user is slow to start a process)
  grep -q "ready: loops running" "$d/out.log" && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
grep -q "ready: loops running" "$d/out.log" || { cat "$d/out.log" >&2; die "the agent did not reach READY"; }
kill -TERM "$pid"
rc=0; wait "$pid" || rc=$?
pid=
((rc == 0)) || { tail -20 "$d/out.log" >&2; die "clean stop exited $rc"; }
ls "$d/state/journal" >/dev/null 2>&1 || die "no journal under the state directory"
echo "smoke-arm64: $version: READY under qemu-aarch64, journal and state written, clean stop (exit 0)"
