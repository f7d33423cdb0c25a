#!/usr/bin/env bash
# ./test.sh: installs what the tests need (skipped when present), builds everything with warnings as
# errors, publishes the native-AOT agent, builds the factory image, runs every test project and the
# budget guard, and ends with one line: "N passed, N failed, N skipped".
#
#   ./test.sh               everything (what CI runs)
#   ./test.sh --fast        unit + integration tests only: no AOT publish, no image, no qemu e2e, no budget guard
#   TEST_FILTER=...         passed to dotnet test --filter
set -uo pipefail
cd "$(dirname "$0")"
root=$PWD
fast=0; [[ ${1:-} == --fast ]] && fast=1
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
results=$root/artifacts/test-results
rm -rf "$results"; mkdir -p "$results"

step() { echo; echo "=== $* ($(date +%T))"; }
die() { echo "test.sh: $*" >&2; echo "0 passed, 1 failed"; exit 1; }

step "install dependencies"
scripts/install-deps.sh || die "installing dependencies failed"
step "docker engine"
scripts/start-dockerd.sh || die "starting the docker engine failed"

step "build (warnings are errors)"
dotnet build EdgeNode.sln -c Release -warnaserror -nologo -v:q -clp:ErrorsOnly || die "build failed"

if ((fast == 0)); then
  step "native AOT publish of the agent"
  scripts/publish-agent.sh || die "AOT publish of the agent failed (trim/AOT warnings are errors)"
  step "native AOT publish of the agent for linux-arm64 (cross), started under qemu-user"
  scripts/publish-agent.sh linux-arm64 || die "AOT publish of the agent for linux-arm64 failed (trim/AOT warnings are errors)"
  scripts/smoke-arm64.sh || die "the linux-arm64 agent does not run under qemu-user"
  if [[ -x images/build-image.sh ]]; then
    step "factory image"
    images/build-image.sh || die "factory image build failed"
  fi
fi

# Every test project under tests/; the qemu suite (E2E) last, and only in a full run.
projects=()
for d in tests/*/; do
  p=$(basename "$d"); [[ -f $d/$p.csproj ]] || continue
  [[ $p == EdgeNode.E2E.Tests ]] && continue
  projects+=("$p")
done
((fast == 0)) && projects+=(EdgeNode.E2E.Tests)

for p in "${projects[@]}"; do
  step "test $p"
  args=(test "tests/$p/$p.csproj" -c Release --no-build --nologo
        --logger "trx;LogFileName=$p.trx" --results-directory "$results"
        --logger "console;verbosity=normal")
  filter=${TEST_FILTER:-}
  [[ -n $filter ]] && args+=(--filter "$filter")
  timeout 2700 dotnet "${args[@]}" 2>&1 | grep --line-buffered -vE '^\s*$'
done

passed=0; failed=0; skipped=0
for f in "$results"/*.trx; do
  [[ -f $f ]] || continue
  c=$(grep -o '<Counters [^>]*>' "$f" | head -1)
  get() { echo "$c" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  total=$(get total); executed=$(get executed); p=$(get passed); fl=$(get failed); er=$(get error); to=$(get timeout); ab=$(get aborted)
  passed=$((passed + ${p:-0})); failed=$((failed + ${fl:-0} + ${er:-0} + ${to:-0} + ${ab:-0}))
  skipped=$((skipped + ${total:-0} - ${executed:-0}))
done
# A test project whose run produced no result file counts as one failure (it crashed or did not build).
for p in "${projects[@]}"; do
  [[ -f $results/$p.trx ]] || { echo "test.sh: no results from $p"; failed=$((failed + 1)); }
done

if ((fast == 0)); then
  step "budget guard"
  if [[ -x ./bench.sh ]]; then
    # Every figure must be measured: a probe that cannot measure fails the run like a figure over its limit.
    if ./bench.sh --check; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
  fi
fi

if ((failed > 0)); then
  step "what failed"
  scripts/test-failures.sh "$results"
fi
echo
echo "$passed passed, $failed failed, $skipped skipped"
((failed == 0))
