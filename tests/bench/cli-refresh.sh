#!/usr/bin/env bash
# Benchmark of `welkin-token refresh` against a running sandbox, process start included, as users run it.
# Side by side in one run: the Native AOT tool installed from its package (`dotnet tool install`, what users get) and
# the ReadyToRun framework-dependent publish. Both find the token not due: one Key Vault read, no Welkin call.
# Runs are interleaved (AOT, R2R, AOT, R2R, ...) so a change in machine load hits both alike.
# Per variant: median wall time, median user + sys CPU, peak resident set size; the load average before and after.
# Usage: tests/bench/cli-refresh.sh                        (RUNS=30)
#        TOOL=/path/to/installed/welkin-token tests/bench/cli-refresh.sh   (reuse an installed tool, skip the AOT pack)
set -euo pipefail

RUNS="${RUNS:-30}"
(( RUNS >= 20 )) || { echo "RUNS must be at least 20." >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "Needs /usr/bin/time (Debian package 'time')." >&2; exit 2; }
repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d -t welkin-bench-XXXXXX)"
sandbox_pid=""
cleanup() {
  if [[ -n "$sandbox_pid" ]]; then kill "$sandbox_pid" 2>/dev/null || true; wait "$sandbox_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# --artifacts-path keeps these builds' obj/bin out of the source tree, away from concurrent builds.
echo "# ReadyToRun: dotnet publish -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -p:PublishAot=false" >&2
dotnet publish "$repo/src/WelkinTokenRefresher.Cli" -c Release -r linux-x64 --self-contained false \
  -p:PublishReadyToRun=true -p:PublishAot=false --artifacts-path "$work/artifacts-r2r" -o "$work/r2r" -v quiet -nologo >&2
r2r="$work/r2r/welkin-token"

aot="${TOOL:-}"
if [[ -z "$aot" ]]; then
  echo "# Native AOT tool: dotnet pack (pointer and linux-x64 packages), dotnet tool install --tool-path from that feed" >&2
  dotnet pack "$repo/src/WelkinTokenRefresher.Cli" -c Release --artifacts-path "$work/artifacts-aot" -o "$work/feed" -v quiet -nologo >&2
  dotnet pack "$repo/src/WelkinTokenRefresher.Cli" -c Release -r linux-x64 --artifacts-path "$work/artifacts-aot" -o "$work/feed" -v quiet -nologo >&2
  printf '<?xml version="1.0" encoding="utf-8"?>\n<configuration><packageSources><clear /><add key="local" value="%s" /></packageSources></configuration>\n' \
    "$work/feed" >"$work/nuget.config"
  NUGET_PACKAGES="$work/cache" dotnet tool install WelkinTokenRefresher.Cli --tool-path "$work/tool" --configfile "$work/nuget.config" >&2
  aot="$work/tool/welkin-token"
fi
echo "# Installed tool: $aot ($(du -sh "$(readlink -f "$aot")" | cut -f1) executable)" >&2

echo "# Starting the sandbox" >&2
"$aot" sandbox >"$work/sandbox.out" 2>"$work/sandbox.err" &
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

# The first run refreshes (the sandbox vault starts empty); every later run finds the token not due.
(cd "$work" && "$aot" refresh) >&2

# One measured run: wall time from date (ns), CPU and peak RSS from /usr/bin/time; appends "wall_ms cpu_ms rss_kb".
measure() {
  local name="$1" cli="$2" start end
  start=$(date +%s%N)
  (cd "$work" && /usr/bin/time -f "%U %S %M" -o "$work/time.$name" "$cli" refresh --json >"$work/out.$name")
  end=$(date +%s%N)
  grep -q '"reason":"not-due"' "$work/out.$name" || { echo "$name: unexpected answer: $(cat "$work/out.$name")" >&2; exit 1; }
  awk -v wall=$(( (end - start) / 1000000 )) '{ printf "%d %d %d\n", wall, ($1 + $2) * 1000 + 0.5, $3 }' "$work/time.$name" >>"$work/runs.$name"
}

for _ in 1 2 3; do
  (cd "$work" && "$aot" refresh >/dev/null && "$r2r" refresh >/dev/null)
done
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "# Machine: $(nproc) cores, load average $load_before; $RUNS interleaved runs of each" >&2
: >"$work/runs.aot"
: >"$work/runs.r2r"
for _ in $(seq 1 "$RUNS"); do
  measure aot "$aot"
  measure r2r "$r2r"
done
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
summarize() {
  local file="$1"
  printf '%s %s %s\n' "$(cut -d' ' -f1 "$file" | median)" "$(cut -d' ' -f2 "$file" | median)" "$(cut -d' ' -f3 "$file" | sort -n | tail -1)"
}
read -r aot_wall aot_cpu aot_rss <<<"$(summarize "$work/runs.aot")"
read -r r2r_wall r2r_cpu r2r_rss <<<"$(summarize "$work/runs.r2r")"
mb() { awk -v kb="$1" 'BEGIN { printf "%.1f MB", kb * 1024 / 1e6 }'; }
ratio="$(awk -v a="$aot_cpu" -v r="$r2r_cpu" 'BEGIN { printf "%.1f", (a > 0) ? r / a : 0 }')"

{
  echo
  echo "| build | median wall | median user + sys CPU | peak RSS |"
  echo "|---|---|---|---|"
  echo "| Native AOT tool (installed package) | ${aot_wall} ms | ${aot_cpu} ms | ${aot_rss} KB ($(mb "$aot_rss")) |"
  echo "| ReadyToRun, framework-dependent | ${r2r_wall} ms | ${r2r_cpu} ms | ${r2r_rss} KB ($(mb "$r2r_rss")) |"
  echo
} >&2
echo "welkin-token refresh (not due, process start included), ${RUNS} interleaved runs each on $(nproc) cores:" \
  "native AOT tool median ${aot_wall} ms, CPU ${aot_cpu} ms, peak RSS $(mb "$aot_rss");" \
  "ReadyToRun median ${r2r_wall} ms, CPU ${r2r_cpu} ms, peak RSS $(mb "$r2r_rss");" \
  "${ratio}x less CPU; load average ${load_before} -> ${load_after}"
