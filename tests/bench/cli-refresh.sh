#!/usr/bin/env bash
# Benchmark of `welkin-token refresh` against a running sandbox, process start included.
# Publishes the CLI (Release, ReadyToRun unless R2R=false) into a temporary directory, starts `welkin-token sandbox`,
# does one refresh (the vault is empty, so it refreshes), then times RUNS more runs, each finding the token not due:
# one Key Vault read, no Welkin call. Reports the median wall time and the peak resident set size.
# Usage: tests/bench/cli-refresh.sh            (RUNS=20 R2R=true by default)
#        RUNS=50 R2R=false tests/bench/cli-refresh.sh
set -euo pipefail

RUNS="${RUNS:-20}"
R2R="${R2R:-true}"
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d -t welkin-bench-XXXXXX)"
sandbox_pid=""
cleanup() {
  if [[ -n "$sandbox_pid" ]]; then kill "$sandbox_pid" 2>/dev/null || true; wait "$sandbox_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "# Publishing the CLI (Release, linux-x64, framework-dependent, ReadyToRun=$R2R) to $work/cli" >&2
# --artifacts-path keeps this build's obj/bin out of the source tree, away from concurrent builds.
dotnet publish "$repo/src/WelkinTokenRefresher.Cli" -c Release -r linux-x64 --self-contained false \
  -p:PublishReadyToRun="$R2R" --artifacts-path "$work/artifacts" -o "$work/cli" -v quiet -nologo >&2
cli="$work/cli/welkin-token"

echo "# Starting the sandbox" >&2
"$cli" sandbox >"$work/sandbox.out" 2>"$work/sandbox.err" &
sandbox_pid=$!
env_file=""
for _ in $(seq 1 300); do
  env_file="$(sed -n "s/^source '\(.*\)'$/\1/p" "$work/sandbox.out")"
  [[ -n "$env_file" && -f "$env_file" ]] && break
  kill -0 "$sandbox_pid" 2>/dev/null || { cat "$work/sandbox.err" >&2; exit 1; }
  sleep 0.1
done
[[ -n "$env_file" ]] || { echo "The sandbox did not start within 30 s." >&2; exit 1; }
# shellcheck disable=SC1090
source "$env_file"

# The first run refreshes (the sandbox vault starts empty); every measured run finds the token not due.
(cd "$work" && "$cli" refresh) >&2

echo "# Machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
median_ms=""
if command -v hyperfine >/dev/null; then
  (cd "$work" && hyperfine --warmup 3 --runs "$RUNS" --export-json "$work/hyperfine.json" "$cli refresh") >&2
  median_ms="$(python3 -c "import json,sys; print(round(json.load(open(sys.argv[1]))['results'][0]['median']*1000))" "$work/hyperfine.json")"
else
  for _ in $(seq 1 3); do (cd "$work" && "$cli" refresh >/dev/null); done
  : >"$work/times"
  for _ in $(seq 1 "$RUNS"); do
    start=$(date +%s%N)
    (cd "$work" && "$cli" refresh >/dev/null)
    echo $(( ($(date +%s%N) - start) / 1000000 )) >>"$work/times"
  done
  median_ms="$(sort -n "$work/times" | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2) }')"
fi

peak_kb=""
if [[ -x /usr/bin/time ]]; then
  for _ in $(seq 1 5); do
    (cd "$work" && /usr/bin/time -f "%M" -o "$work/rss" "$cli" refresh >/dev/null)
    peak_kb="$( (cat "$work/rss"; echo "${peak_kb:-0}") | sort -n | tail -1)"
  done
fi

echo "welkin-token refresh (not due, process start included): median ${median_ms} ms over ${RUNS} runs; peak RSS ${peak_kb:-n/a} KB ($(awk -v kb="${peak_kb:-0}" 'BEGIN { printf "%.1f MiB", kb / 1024 }')); ReadyToRun=$R2R"
