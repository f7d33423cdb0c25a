#!/usr/bin/env bash
# ./bench.sh: benchmarks and the budget guard.
#
#   ./bench.sh [--quick] [--filter PATTERN] [-- BDN-ARGS...]
#       Runs the BenchmarkDotNet suites in benchmarks/EdgeNode.Benchmarks (MemoryDiagnoser on), then the
#       budget guard in report mode, and writes artifacts/bench/summary.md (BDN's GitHub-markdown tables
#       plus the budget table). --quick uses BDN's ShortRun job (3 warm-ups, 3 iterations, 1 launch) so the
#       whole set finishes in minutes on 2 cores. --filter is BDN's glob (default '*'), e.g. '*Coap*'.
#
#   ./bench.sh --check [--allow-missing] [--only ID,ID] [--readme FILE]
#       The budget guard (what ./test.sh runs): measures every figure in benchmarks/budgets.json with its
#       fast probe (no BDN), prints figure | measured | limit | verdict, and exits non-zero when an asserted
#       figure is over its limit or could not be measured (unless --allow-missing).
#       --readme FILE also writes the README budget table (figure | budget | measured | command).
#
#   BUDGETS=FILE overrides benchmarks/budgets.json.
set -euo pipefail
cd "$(dirname "$0")"
root=$PWD
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

mode=bench; quick=0; filter='*'; guard_args=(); bdn_extra=()
while (($#)); do
  case $1 in
    --check) mode=check ;;
    --quick) quick=1 ;;
    --filter) filter=${2:?--filter needs a pattern}; shift ;;
    --filter=*) filter=${1#--filter=} ;;
    --allow-missing|--asserted-only) guard_args+=("$1") ;;
    --only|--readme|--table) guard_args+=("$1" "${2:?$1 needs a value}"); shift ;;
    --) shift; bdn_extra=("$@"); break ;;
    -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench.sh: unknown option '$1' (see ./bench.sh --help)" >&2; exit 2 ;;
  esac
  shift
done

out=$root/artifacts/bench
mkdir -p "$out"
guard_dll=benchmarks/EdgeNode.BudgetGuard/bin/Release/net10.0/edgenode-budget-guard.dll

build_guard() {
  dotnet build benchmarks/EdgeNode.BudgetGuard/EdgeNode.BudgetGuard.csproj -c Release -nologo -v:q -clp:ErrorsOnly >"$out/guard-build.log" 2>&1 \
    || { cat "$out/guard-build.log" >&2; echo "bench.sh: building the budget guard failed" >&2; exit 2; }
}

run_guard() {
  dotnet "$guard_dll" --repo "$root" --budgets "${BUDGETS:-benchmarks/budgets.json}" --table "$out/budgets.md" "$@"
}

if [[ $mode == check ]]; then
  echo "bench.sh: budget guard ($(date +%T))"
  build_guard
  set +e
  run_guard "${guard_args[@]}"
  rc=$?
  set -e
  echo "bench.sh: table written to artifacts/bench/budgets.md"
  exit $rc
fi

# BenchmarkDotNet suites.
bdn=$out/bdn
rm -rf "$bdn"; mkdir -p "$bdn"
args=(--filter "$filter" --memory --artifacts "$bdn" --stopOnFirstError)
((quick)) && args+=(--job short --inProcess)
echo "bench.sh: BenchmarkDotNet ${args[*]} ${bdn_extra[*]} ($(date +%T))"
set +e
dotnet run -c Release --project benchmarks/EdgeNode.Benchmarks/EdgeNode.Benchmarks.csproj -- "${args[@]}" "${bdn_extra[@]}" 2>&1 | tee "$out/bdn.log"
bdn_rc=${PIPESTATUS[0]}
set -e

summary=$out/summary.md
{
  echo "# EdgeNode benchmarks"
  echo
  echo "Run $(date -u '+%Y-%m-%d %H:%M') UTC, \`./bench.sh$( ((quick)) && echo ' --quick') --filter '$filter'\`, $(nproc) cores."
  echo
  shopt -s nullglob
  reports=("$bdn"/results/*-report-github.md)
  if ((${#reports[@]} == 0)); then
    echo "No BenchmarkDotNet results (exit code $bdn_rc; log: artifacts/bench/bdn.log)."
  fi
  for r in "${reports[@]}"; do
    name=$(basename "$r" -report-github.md)
    echo "## ${name##*.}"
    echo
    cat "$r"
    echo
  done
} >"$summary"

# The budget table (report only here: ./bench.sh --check is the failing form).
build_guard
set +e
run_guard --allow-missing "${guard_args[@]}" >/dev/null
set -e
{ echo "## Budgets"; echo; cat "$out/budgets.md"; } >>"$summary"
echo "bench.sh: summary written to artifacts/bench/summary.md"
((bdn_rc == 0)) || { echo "bench.sh: BenchmarkDotNet failed (exit code $bdn_rc)" >&2; exit "$bdn_rc"; }
