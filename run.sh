#!/usr/bin/env bash
# ./run.sh: one hub and one agent on this machine, as a unit in the field would run.
#
#   - builds what is missing: the native-AOT agent (the same binary the factory image ships) and the hub;
#   - starts the hub with SQLite under .run/hub-data, prints its operator token and the dashboard URL;
#   - starts the agent with --simulate-hardware (simulated LEDs printed as [leds] lines, simulated watchdog device)
#     against the hub over DTLS-PSK, with the local Docker engine if one answers (otherwise the agent runs and reports
#     "engine-unavailable" as a degraded reason);
#   - approves the unit's enrollment into slot dev-site/line1/cell1 and deploys a demo app there;
#   - Ctrl-C stops both.
#
#   ./run.sh            keep .run/ between runs (the unit keeps its identity, the hub its fleet)
#   ./run.sh --fresh    start from nothing (first boot: enrollment again)
#   ./run.sh --plain    development mode: plain CoAP instead of DTLS
# Environment: HUB_HTTP_PORT (8080), HUB_COAP_PORT (5683), HUB_COAPS_PORT (5684): a busy port is replaced by a free one.
set -euo pipefail
cd "$(dirname "$0")"
root=$PWD
run=$root/.run
fresh=0; plain=0
for a in "$@"; do
  case $a in
    --fresh) fresh=1 ;;
    --plain) plain=1 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument '$a' (try --help)" >&2; exit 64 ;;
  esac
done
command -v dotnet >/dev/null || { echo "run.sh: needs the .NET 10 SDK (dotnet) on PATH" >&2; exit 1; }
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

say() { printf '\033[1m[run]\033[0m %s\n' "$*"; }

udp_busy() { ss -Hlun "sport = :$1" 2>/dev/null | grep -q .; }
tcp_busy() { ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }
free_port() { # $1 = udp|tcp, $2 = preferred
  local p=$2
  while { [[ $1 == udp ]] && udp_busy "$p"; } || { [[ $1 == tcp ]] && tcp_busy "$p"; }; do p=$((20000 + RANDOM % 20000)); done
  echo "$p"
}
http_port=$(free_port tcp "${HUB_HTTP_PORT:-8080}")
coap_port=$(free_port udp "${HUB_COAP_PORT:-5683}")
coaps_port=$(free_port udp "${HUB_COAPS_PORT:-5684}")

# --- build what is missing ------------------------------------------------------------------------------------
agent_bin=$root/artifacts/agent/linux-x64/edgenode-agent
newest_src=$(find agent hal link -name '*.cs' -newer "$agent_bin" -print -quit 2>/dev/null || echo rebuild)
if [[ ! -x $agent_bin || -n $newest_src ]]; then
  say "publishing the native-AOT agent (scripts/publish-agent.sh; a few minutes the first time)"
  AGENT_SIZE_CHECK=0 scripts/publish-agent.sh
fi
hub_dll=$root/hub/bin/Release/net10.0/edgenode-hub.dll
if [[ ! -f $hub_dll || -n $(find hub link -name '*.cs' -newer "$hub_dll" -print -quit 2>/dev/null) ]]; then
  say "building the hub"
  dotnet build hub/EdgeNode.Hub.csproj -c Release -nologo -v:q -clp:ErrorsOnly
fi

# --- state ------------------------------------------------------------------------------------------------------
((fresh)) && rm -rf "$run"
mkdir -p "$run/hub-data" "$run/agent-state" "$run/specs/base" "$run/specs/sites"
fleet_key_file=$run/fleet.key
[[ -f $fleet_key_file ]] || od -An -N16 -tx1 /dev/urandom | tr -d ' \n' >"$fleet_key_file"
fleet_key=$(cat "$fleet_key_file")

engine=unavailable
docker_endpoint=unix:///var/run/docker.sock
if command -v docker >/dev/null && docker version >/dev/null 2>&1; then
  engine=available
  docker image inspect edgenode/busybox:test >/dev/null 2>&1 || { [[ -x scripts/start-dockerd.sh ]] && scripts/start-dockerd.sh >/dev/null 2>&1 || true; }
fi
demo_image=edgenode/busybox:test

cat >"$run/specs/base/apps.yaml" <<YAML
apps:
  hello:
    image: $demo_image
    command: ["/bin/sh", "-c", "while true; do echo hello from the edge; sleep 30; done"]
    priority: critical
    memory: 16Mi
YAML
cat >"$run/specs/sites/dev-site.yaml" <<YAML
slots:
  line1/cell1:
YAML

cat >"$run/profile.json" <<JSON
{
  "model": "dev-laptop",
  "gpioChip": "gpiochip0",
  "leds": { "status-green": { "line": 0 }, "status-red": { "line": 1 }, "status-amber": { "line": 2 } },
  "watchdog": { "device": "/dev/watchdog", "timeoutSeconds": 60, "magicCloseOnStop": true }
}
JSON

if ((plain)); then hub_port=$coap_port; plain_json=true; else hub_port=$coaps_port; plain_json=false; fi
cat >"$run/agent.json" <<JSON
{
  "hardwareProfile": "$run/profile.json",
  "model": "dev-laptop",
  "hardwareId": "dev-$(hostname)",
  "hub": { "addresses": ["127.0.0.1:$hub_port"], "plainCoap": $plain_json, "reconnectMaxSeconds": 30 },
  "enrollment": { "identity": "fleet-dev", "key": "hex:$fleet_key", "slotHint": "dev-site/line1/cell1" },
  "heartbeatSeconds": 5,
  "docker": { "endpoint": "$docker_endpoint", "imageCacheDir": "$run/image-cache" },
  "capacity": { "memoryMb": 512, "cpuMillis": 1000 },
  "stateDirectory": "$run/agent-state",
  "freezeFlagPath": "$run/freeze-loops"
}
JSON

# --- start ------------------------------------------------------------------------------------------------------
pids=()
cleanup() {
  trap - INT TERM EXIT
  echo
  say "stopping"
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  say "stopped (state kept in .run/; ./run.sh --fresh starts over)"
}
trap cleanup INT TERM EXIT

hub_args=(serve --data-dir "$run/hub-data" --http "http://127.0.0.1:$http_port" --bind 127.0.0.1
          --coap-port "$coap_port" --coaps-port "$coaps_port" --heartbeat-interval 5
          --enroll "fleet-dev=$fleet_key" --spec-dir "$run/specs")
((plain)) && hub_args+=(--dev-psk-over-plain)
dotnet "$hub_dll" "${hub_args[@]}" >"$run/hub.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 150); do
  curl -fsS "http://127.0.0.1:$http_port/healthz" >/dev/null 2>&1 && break
  kill -0 "${pids[0]}" 2>/dev/null || { echo "run.sh: the hub exited; its log:" >&2; tail -30 "$run/hub.log" >&2; exit 1; }
  sleep 0.2
done
if grep -q "admin API token" "$run/hub.log"; then
  grep -A1 "admin API token" "$run/hub.log" | tail -1 | tr -d ' ' >"$run/hub-token"
fi
token=$(cat "$run/hub-token" 2>/dev/null || echo "(printed at the hub's first start; ./run.sh --fresh to get a new one)")

say "hub:        http://127.0.0.1:$http_port/   (dashboard; CoAP $coap_port, CoAPS $coaps_port; log .run/hub.log)"
say "token:      $token"
say "engine:     docker $engine"
say "agent:      $agent_bin --simulate-hardware (log lines below; [leds] = the status LED lines)"
say "stop:       Ctrl-C stops both"

"$agent_bin" --config "$run/agent.json" --simulate-hardware &
pids+=($!)

# Approve the unit's enrollment (what an operator does on the dashboard), unless it is already enrolled.
if [[ ! -f $run/agent-state/state/identity.0 && ! -f $run/agent-state/state/identity.1 ]]; then
  api() { curl -fsS -H "Authorization: Bearer $token" -H 'Content-Type: application/json' "$@"; }
  for _ in $(seq 1 300); do
    id=$(api "http://127.0.0.1:$http_port/api/enrollments?state=pending" 2>/dev/null | grep -o '"id":[0-9]*' | head -1 | cut -d: -f2 || true)
    if [[ -n $id ]]; then
      api -X POST -d '{"slot":"dev-site/line1/cell1"}' "http://127.0.0.1:$http_port/api/enrollments/$id/approve" >/dev/null \
        && say "approved enrollment #$id into slot dev-site/line1/cell1 (the operator's click on the dashboard)"
      break
    fi
    kill -0 "${pids[1]}" 2>/dev/null || break
    sleep 0.5
  done
fi

wait "${pids[1]}" || true
