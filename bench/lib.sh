# Shared by bench/run.sh, bench/storm.sh and bench/stream.sh (sourced, not run): the work directory and the processes
# a script starts, killed and removed on exit; free ports; waiting for an HTTP endpoint; log and result lines.
#
#   . "$(dirname "$0")/lib.sh"; bench_init NAME TOOL...      then PIDS+=($!) for each process started
# Sets WORK (a fresh directory under TMPDIR, else /tmp) and PIDS. On exit every process in PIDS gets SIGTERM and up
# to 10 s to stop (a gateway drains gracefully), then SIGKILL; WORK is removed unless KEEP_WORK is set or the script
# set rc to non-zero (a failed run keeps its logs).

bench_init() { # name, tools the script needs
  local name=$1 tool
  shift
  for tool in "$@"; do
    command -v "$tool" >/dev/null ||
      { echo "missing: $tool (apt-get install wrk nginx-light redis-server curl python3; a JDK 17)" >&2; exit 1; }
  done
  BENCH_NAME=$name
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/mallgate-$name.XXXXXX")
  chmod 755 "$WORK" # nginx workers read their configuration here
  PIDS=()
  trap bench_cleanup EXIT INT TERM
}

bench_cleanup() {
  local pid i
  for pid in "${PIDS[@]:-}"; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]:-}"; do
    for ((i = 0; i < 200; i++)); do [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
    [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true
    [ -n "$pid" ] && wait "$pid" 2>/dev/null || true
  done
  if [ -n "${KEEP_WORK:-}" ] || [ "${rc:-0}" != 0 ]; then echo "work directory kept: $WORK" >&2; else rm -rf "$WORK"; fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

wait_http() { # url, timeout seconds; polls every 10 ms (the start-up figures are taken with it)
  local i
  for ((i = 0; i < $2 * 100; i++)); do
    curl -s -o /dev/null "$1" && return 0
    sleep 0.01
  done
  echo "timed out waiting for $1" >&2
  return 1
}

log() { echo "[$BENCH_NAME $(date +%T)] $*" >&2; }

results_to() { # file: out() writes each line to stdout and to it
  RESULTS=$1
  mkdir -p "$(dirname "$RESULTS")"
  : >"$RESULTS"
}
out() { echo "$*" | tee -a "$RESULTS"; }
