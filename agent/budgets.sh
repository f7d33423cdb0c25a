#!/usr/bin/env bash
# agent/budgets.sh: measures the agent's budgets on this machine with the native-AOT binary.
#   binary size; start → READY=1 (NOTIFY_SOCKET, hub unreachable, engine reachable; median of N starts);
#   steady-state RSS (VmRSS, RssAnon, RssFile) with the link up (real hub over DTLS), the supervisor and 5 apps
#   running on the local Docker engine, sampled every 10 s for SOAK_MINUTES (default 10), and the drift per hour
#   extrapolated from a least-squares fit over the samples after the first minute.
# Needs: dotnet, docker engine with edgenode/busybox:test (scripts/start-dockerd.sh), python3, curl.
#   agent/budgets.sh [--soak-minutes N] [--starts N]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
soak=${SOAK_MINUTES:-10}; starts=10
while (($#)); do case $1 in --soak-minutes) soak=$2; shift 2 ;; --starts) starts=$2; shift 2 ;; *) echo "unknown $1" >&2; exit 64 ;; esac; done
bin=$root/artifacts/agent/linux-x64/edgenode-agent
[[ -x $bin ]] || AGENT_SIZE_CHECK=0 scripts/publish-agent.sh
hub_dll=$root/hub/bin/Release/net10.0/edgenode-hub.dll
[[ -f $hub_dll ]] || dotnet build hub/EdgeNode.Hub.csproj -c Release -nologo -v:q -clp:ErrorsOnly
work=$(mktemp -d /tmp/edgenode-budgets.XXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; wait 2>/dev/null || true
  docker rm -f edgenode-app1 edgenode-app2 edgenode-app3 edgenode-app4 edgenode-app5 >/dev/null 2>&1 || true; }
trap cleanup EXIT

size=$(stat -c %s "$bin")
echo "binary: $bin $size bytes = $(awk "BEGIN{printf \"%.2f\", $size/1048576}") MiB"

key=00112233445566778899aabbccddeeff
cat >"$work/profile.json" <<JSON
{ "model": "budget", "gpioChip": "gpiochip0", "leds": { "status-green": { "line": 0 }, "status-red": { "line": 1 } } }
JSON
config() { # $1 = port, $2 = state dir
cat <<JSON
{ "hardwareProfile": "$work/profile.json", "model": "budget", "hardwareId": "budget-unit",
  "hub": { "addresses": ["127.0.0.1:$1"] }, "enrollment": { "identity": "fleet-budget", "key": "hex:$key" },
  "heartbeatSeconds": 10, "capacity": { "memoryMb": 1024, "cpuMillis": 2000 }, "stateDirectory": "$2",
  "freezeFlagPath": "$work/freeze" }
JSON
}

# --- start → READY ------------------------------------------------------------------------------------------------
config 9 "$work/start-state" >"$work/start.json"
python3 - "$bin" "$work/start.json" "$starts" <<'PY'
import os, socket, subprocess, sys, time, statistics, tempfile
binary, cfg, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
first, warm = [], []
for i in range(n):
    path = tempfile.mktemp(suffix=".sock")
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.bind(path); s.settimeout(10)
    env = dict(os.environ, NOTIFY_SOCKET=path)
    t0 = time.perf_counter()
    p = subprocess.Popen([binary, "--config", cfg, "--simulate-hardware"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while True:
        msg = s.recv(4096).decode()
        if "READY=1" in msg: break
    ms = (time.perf_counter() - t0) * 1000
    (first if i == 0 else warm).append(ms)
    p.terminate(); p.wait(); s.close(); os.unlink(path)
print(f"start→READY: first boot {first[0]:.1f} ms; later starts median {statistics.median(warm):.1f} ms, max {max(warm):.1f} ms (n={len(warm)})")
PY

# --- steady state with the hub, the supervisor and 5 apps ---------------------------------------------------------
mkdir -p "$work/specs/base" "$work/specs/sites"
{ echo "apps:"; for i in 1 2 3 4 5; do cat <<YAML
  app$i:
    image: edgenode/busybox:test
    command: ["/bin/sh", "-c", "while true; do echo tick; sleep 5; done"]
    memory: 16Mi
YAML
done; } >"$work/specs/base/apps.yaml"
printf 'slots:\n  line1/cell1:\n' >"$work/specs/sites/budget-site.yaml"
coaps=$((30000 + RANDOM % 20000)); http=$((30000 + RANDOM % 20000))
dotnet "$hub_dll" serve --data-dir "$work/hub" --http "http://127.0.0.1:$http" --bind 127.0.0.1 --coap-port -1 --coaps-port "$coaps" \
  --enroll "fleet-budget=$key" --spec-dir "$work/specs" --heartbeat-interval 10 >"$work/hub.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 300); do curl -fsS "http://127.0.0.1:$http/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
token=$(grep -A1 "admin API token" "$work/hub.log" | tail -1 | tr -d ' ')
config "$coaps" "$work/soak-state" >"$work/soak.json"
"$bin" --config "$work/soak.json" >"$work/agent.log" 2>&1 &
agent=$!; pids+=($agent)
for _ in $(seq 1 300); do
  id=$(curl -fsS -H "Authorization: Bearer $token" "http://127.0.0.1:$http/api/enrollments?state=pending" | grep -o '"id":[0-9]*' | head -1 | cut -d: -f2 || true)
  [[ -n $id ]] && { curl -fsS -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d '{"slot":"budget-site/line1/cell1"}' "http://127.0.0.1:$http/api/enrollments/$id/approve" >/dev/null; break; }
  sleep 0.5
done
for _ in $(seq 1 600); do
  [[ $(docker ps --filter name=edgenode-app --filter status=running -q | wc -l) -ge 5 ]] && break; sleep 0.5
done
echo "apps running: $(docker ps --filter name=edgenode-app --filter status=running --format '{{.Names}}' | tr '\n' ' ')"
samples=$((soak * 6))
echo "sampling /proc/$agent/status every 10 s for $soak min ($samples samples)"
for i in $(seq 1 "$samples"); do
  sleep 10
  awk -v t=$((i * 10)) '/^VmRSS|^RssAnon|^RssFile/ {v[$1]=$2} END {print t, v["VmRSS:"], v["RssAnon:"], v["RssFile:"]}' "/proc/$agent/status"
done | tee "$work/rss.txt"
python3 - "$work/rss.txt" <<'PY'
import sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
steady = [r for r in rows if r[0] > 60] or rows
t = [r[0] for r in steady]; rss = [r[1] for r in steady]
n = len(t); mt = sum(t) / n; mr = sum(rss) / n
slope = sum((a - mt) * (b - mr) for a, b in zip(t, rss)) / (sum((a - mt) ** 2 for a in t) or 1)
last = steady[-1]
print(f"steady RSS: VmRSS {last[1]/1024:.1f} MiB (RssAnon {last[2]/1024:.1f}, RssFile {last[3]/1024:.1f}); "
      f"mean {mr/1024:.1f} MiB, min {min(rss)/1024:.1f}, max {max(rss)/1024:.1f}; "
      f"drift {slope*3600/1024:+.2f} MiB/hour (least squares over {n} samples, {t[-1]-t[0]:.0f} s, extrapolated)")
PY
