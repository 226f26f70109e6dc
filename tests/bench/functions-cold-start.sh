#!/usr/bin/env bash
# Cold start of the Functions app as Azure starts it: a fresh worker process per run, driven over gRPC by the host
# stand-in (tests/WelkinTokenRefresher.TestSupport/FunctionsHost) against the sandbox on loopback.
# Publishes the app as deployed (`dotnet publish -c Release`: ReadyToRun for linux-x64, set in the project) and the
# same without ReadyToRun (portable, as deployed before), then measures, per build,
# the median of RUNS fresh processes (interleaved) of
#   (a) process start → every function loaded (StartStream, WorkerInitRequest, metadata, one FunctionLoadRequest each);
#   (b) process start → the first RefreshOnSchedule tick completed (not due: one Key Vault read, no Welkin request).
# Usage: tests/bench/functions-cold-start.sh          (RUNS=10 by default; at least 10 is the documented figure)
#        RUNS=20 tests/bench/functions-cold-start.sh
set -euo pipefail

RUNS="${RUNS:-10}"
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d -t welkin-cold-start-XXXXXX)"
trap 'rm -rf "$work"' EXIT

publish() { # <output folder> <extra publish arguments…>
  local out="$1"; shift
  # --artifacts-path keeps this build's obj/bin out of the source tree, away from concurrent builds.
  dotnet publish "$repo/src/WelkinTokenRefresher.Functions" -c Release --artifacts-path "$work/artifacts-$(basename "$out")" \
    -o "$out" -v quiet -nologo "$@" >&2
}

echo "# Publishing the Functions app: as deployed, and without ReadyToRun" >&2
publish "$work/deployed"
publish "$work/jit" -p:PublishReadyToRun=false -p:RuntimeIdentifier=
echo "# Building the benchmark driver (Release)" >&2
dotnet build "$repo/tests/WelkinTokenRefresher.ColdStartBench" -c Release --artifacts-path "$work/bench" -v quiet -nologo >&2
driver="$(find "$work/bench/bin" -name WelkinTokenRefresher.ColdStartBench.dll | head -n 1)"

echo "# Machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
dotnet "$driver" "$RUNS" "without ReadyToRun (portable, JIT only)=$work/jit" "as deployed (ReadyToRun, linux-x64)=$work/deployed"
