#!/usr/bin/env bash
# Heap while a large body streams through the gateway (issue 7, item 4b). CI does not run it.
#
#   bench/stream.sh       # build the jar if missing, stream SIZE up and down once each way, print Markdown,
#                         # write bench/results/stream-<stamp>.md
#
# What runs, all on loopback, on free ports, every process started here killed by the trap:
#   upstream  io.mallgate.bench.StreamUpstream (src/test/java, compiled here with javac against the jar): reads any
#             request body to its end at no more than RATE and throws it away; answers GET ...?bytes=N with N bytes
#   gateway   `java $JAVA_OPTS -Xlog:gc:file=... -jar target/mallgate.jar --config <generated yaml>`: embedded store,
#             proxy.maxBodySize 2GiB (the default, 10MiB, refuses these bodies with 413), rateLimit off, one mall
#             imported through PUT /admin/malls/stream/token
#   curl      three transfers in turn through /malls/stream/api/v2/admin/...:
#               upload   POST of SIZE bytes with Content-Length (curl -T of a sparse file), upstream reading at RATE
#               upload   the same, chunked (no Content-Length: the gateway first buffers up to proxy.replayBufferSize)
#               download GET of SIZE bytes, curl reading at RATE (--limit-rate), upstream writing as fast as it can
#   sampling  during each transfer, every SAMPLE_MS: `jstat -gc` (heap used = survivors + eden + old) and VmRSS
#             from /proc; the GC log gives the heap left after each collection
# Knobs (environment):
#   SIZE=1073741824   bytes per transfer          RATE=100M   the slow side's pace (curl --limit-rate syntax)
#   SAMPLE_MS=200     WARM_SIZE=268435456  bytes sent each way before the baseline (JIT warm-up)
#   JAVA_OPTS=""      extra gateway JVM flags (none: what `java -jar` does)
#   RESULTS=bench/results/stream-<utc-stamp>.md   KEEP_WORK=1 keeps the work directory
# Needs: java 17 (javac, jstat, jcmd), curl, python3.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
SIZE=${SIZE:-1073741824}
RATE=${RATE:-100M}
SAMPLE_MS=${SAMPLE_MS:-200}
WARM_SIZE=${WARM_SIZE:-268435456}
JAVA_OPTS=${JAVA_OPTS:-}
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RESULTS=${RESULTS:-bench/results/stream-$STAMP.md}
JAR=target/mallgate.jar
MALL=stream

. bench/lib.sh
bench_init stream java javac jstat jcmd curl python3
[ -f "$JAR" ] || mvn -B -q package -DskipTests
results_to "$RESULTS"
# RATE in curl's syntax (100M = 100 MiB/s) as bytes per second, for the upstream
RATE_BYTES=$(awk -v r="$RATE" 'BEGIN { m = 1; u = toupper(substr(r, length(r)));
  if (u == "K") m = 1024; else if (u == "M") m = 1048576; else if (u == "G") m = 1073741824;
  printf "%d", (m == 1 ? r : substr(r, 1, length(r) - 1)) * m }')

log "compiling the harness against $JAR"
mkdir -p "$WORK/classes"
javac -nowarn -d "$WORK/classes" -cp "$JAR" src/test/java/io/mallgate/bench/Stream*.java  # not the JMH classes: no JMH in the jar

export BENCH_ADMIN_TOKEN="admin-$(head -c16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export BENCH_TOKEN_KEY="k$(date -u +%Y%m%d):$(head -c32 /dev/urandom | base64)"
UP_PORT=$(free_port); GW_PORT=$(free_port)
java -cp "$WORK/classes:$JAR" io.mallgate.bench.StreamUpstream --port "$UP_PORT" --read-rate "$RATE_BYTES" \
  >"$WORK/upstream.log" 2>&1 & PIDS+=($!)

cat >"$WORK/gateway.yaml" <<EOF
server:
  host: 127.0.0.1
  port: $GW_PORT
cafe24:
  baseUrl: "http://127.0.0.1:$UP_PORT/{mall}"
  allowInsecure: true
  clientId: bench-client
  clientSecret: bench-secret-not-used
  redirectUri: "http://127.0.0.1:$GW_PORT/oauth/callback"
admin:
  token: "\${BENCH_ADMIN_TOKEN}"
store:
  file: $WORK/mallgate.db
proxy:
  # the default, 10MiB, answers 413 body_too_large to these uploads
  maxBodySize: 2GiB
tokens:
  encryptionKeys: ["\${BENCH_TOKEN_KEY}"]
rateLimit:
  enabled: false
EOF
java -jar "$JAR" --config "$WORK/gateway.yaml" --check-config >/dev/null
# shellcheck disable=SC2086
java $JAVA_OPTS -Xlog:gc:file="$WORK/gc.log":uptime -jar "$JAR" --config "$WORK/gateway.yaml" \
  >"$WORK/gateway.log" 2>&1 & GW_PID=$!
PIDS+=("$GW_PID")
wait_http "http://127.0.0.1:$GW_PORT/health/live" 60
wait_http "http://127.0.0.1:$UP_PORT/" 30

FAR='2099-12-31T00:00:00.000'
code=$(curl -s -o "$WORK/import.json" -w '%{http_code}' -X PUT -H "Authorization: Bearer $BENCH_ADMIN_TOKEN" \
  -H 'Content-Type: application/json' \
  --data "{\"access_token\":\"bench-access\",\"refresh_token\":\"bench-refresh\",\"expires_at\":\"$FAR\",\"refresh_token_expires_at\":\"$FAR\",\"mall_id\":\"$MALL\"}" \
  "http://127.0.0.1:$GW_PORT/admin/malls/$MALL/token")
[ "$code" = 200 ] || { echo "token import failed: $code" >&2; tail -20 "$WORK/gateway.log" >&2; exit 1; }
URL="http://127.0.0.1:$GW_PORT/malls/$MALL/api/v2/admin/files"
truncate -s "$SIZE" "$WORK/body.bin" # sparse: SIZE zero bytes, no disk used
# warm-up, each way: small exchanges, then WARM_SIZE bytes (the first large transfer of a fresh JVM runs slower)
log "warm-up: $(numfmt --to=iec "$WARM_SIZE")B each way"
for _ in 1 2 3; do
  curl -s -o /dev/null -X POST --data-binary 'warm' "$URL"
  curl -s -o /dev/null "$URL?bytes=65536"
done
head -c "$WARM_SIZE" "$WORK/body.bin" | curl -s -o /dev/null -X POST -T - "$URL"
curl -s -o /dev/null "$URL?bytes=$WARM_SIZE"

SAMPLE_S=$(awk -v s="$SAMPLE_MS" 'BEGIN { print s / 1000 }')
mib() { awk -v k="$1" 'BEGIN { printf "%.1f MiB", k / 1024 }'; }
rss_kib() { awk '/^VmRSS/ { print $2 }' "/proc/$GW_PID/status"; }
heap_kib() { # used, old gen used (KiB) from one jstat sample
  jstat -gc "$GW_PID" | awk 'NR == 2 { printf "%d %d\n", $3 + $4 + $6 + $8, $8 }'
}
jcmd "$GW_PID" GC.run >/dev/null
sleep 1
read -r BASE_HEAP BASE_OLD <<<"$(heap_kib)"
BASE_RSS=$(rss_kib)

ROWS=()
transfer() { # name, curl arguments...
  local name=$1; shift
  local tag=${name// /-}
  jstat -gc -t "$GW_PID" "$SAMPLE_MS" </dev/null >"$WORK/jstat-$tag.txt" & local jstat_pid=$!
  PIDS+=("$jstat_pid")
  ( while kill -0 "$GW_PID" 2>/dev/null; do rss_kib; sleep "$SAMPLE_S"; done ) </dev/null >"$WORK/rss-$tag.txt" &
  local rss_pid=$!
  PIDS+=("$rss_pid")
  sleep 0.5 # a few samples before the transfer starts
  log "$name: $(numfmt --to=iec "$SIZE")B at $RATE"
  local result
  result=$(curl -s -w '%{http_code} %{size_upload} %{size_download} %{time_total}' "$@") || true
  sleep 0.5
  kill "$jstat_pid" "$rss_pid" 2>/dev/null || true
  wait "$jstat_pid" "$rss_pid" 2>/dev/null || true
  local status up down secs
  read -r status up down secs <<<"$result"
  local moved=$((up > down ? up : down))
  # jstat -t: Timestamp S0C S1C S0U S1U EC EU OC OU ... YGC (col 14) ...
  local heap
  heap=$(awk 'NR > 1 && $1 ~ /^[0-9.]+$/ { u = $4 + $5 + $7 + $9; if (u > m) m = u; if ($9 > o) o = $9;
      if (first == "") { first = $1; y0 = $14 } last = $1; y = $14 }
    END { printf "%d %d %s %s %d\n", m, o, first, last, y - y0 }' "$WORK/jstat-$tag.txt")
  local max_heap max_old t_first t_last gcs
  read -r max_heap max_old t_first t_last gcs <<<"$heap"
  # the heap left after each collection within the sampled window, from -Xlog:gc (e.g. "25M->3M(256M)")
  local after_gc
  after_gc=$(awk -v a="$t_first" -v b="$t_last" '{ t = $1; gsub(/[\[\]s]/, "", t) }
    t + 0 >= a + 0 && t + 0 <= b + 0 && match($0, /->[0-9]+M\(/) { v = substr($0, RSTART + 2, RLENGTH - 4) + 0; if (v > m) m = v; n++ }
    END { if (n) printf "%d MiB (%d collections logged)", m, n; else print "no collection logged" }' "$WORK/gc.log")
  local max_rss
  max_rss=$(sort -n "$WORK/rss-$tag.txt" | tail -1)
  local rate_mib
  rate_mib=$(awk -v b="$moved" -v s="$secs" 'BEGIN { printf "%.0f", (s > 0 ? b / s / 1048576 : 0) }')
  ROWS+=("| $name | $status | $moved | $secs s ($rate_mib MiB/s) | $(mib "$max_heap") | $(mib "$max_old") | $after_gc | $gcs | $(mib "$max_rss") |")
}

transfer "upload, Content-Length" -o "$WORK/up1.json" -X POST -H 'Content-Type: application/octet-stream' \
  -T "$WORK/body.bin" "$URL"
transfer "upload, chunked" -o "$WORK/up2.json" -X POST -H 'Content-Type: application/octet-stream' \
  -T - "$URL" <"$WORK/body.bin"
transfer "download" -o /dev/null --limit-rate "$RATE" "$URL?bytes=$SIZE"

jcmd "$GW_PID" GC.run >/dev/null
sleep 1
read -r END_HEAP END_OLD <<<"$(heap_kib)"
END_RSS=$(rss_kib)

out "# Mallgate streaming heap $STAMP"
out ""
out "| machine and versions | |"
out "|---|---|"
out "| cores (nproc) / load average at the end | $(nproc) / $(cut -d' ' -f1-3 /proc/loadavg) |"
out "| java | $(java -version 2>&1 | head -1) |"
out "| gateway JVM flags | \`${JAVA_OPTS:-none}\` (+ \`-Xlog:gc\` to a file) |"
out "| gateway heap: initial / max (jcmd VM.flags) | $(jcmd "$GW_PID" VM.flags 2>/dev/null | tr ' ' '\n' | awk -F= '/^-XX:(InitialHeapSize|MaxHeapSize)=/ { printf "%s%d MiB", sep, $2 / 1048576; sep = " / " }') |"
out "| gateway commit | $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src/main pom.xml || echo ' (src/main modified)') |"
out "| settings | SIZE=$SIZE RATE=$RATE SAMPLE_MS=$SAMPLE_MS WARM_SIZE=$WARM_SIZE; proxy.replayBufferSize default (1MiB) |"
out ""
out "Baseline (idle, after \`jcmd GC.run\`): heap used $(mib "$BASE_HEAP") (old gen $(mib "$BASE_OLD")), RSS $(mib "$BASE_RSS")."
out ""
out "| transfer | status | bytes | time | max heap used (jstat) | max old gen used | max heap after a GC (GC log) | young GCs | max RSS |"
out "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
for row in "${ROWS[@]}"; do out "$row"; done
out ""
out "After the three (idle, after \`jcmd GC.run\`): heap used $(mib "$END_HEAP") (old gen $(mib "$END_OLD")), RSS $(mib "$END_RSS")."
out ""
out "Upstream's answers to the uploads: $(cat "$WORK/up1.json" 2>/dev/null) $(cat "$WORK/up2.json" 2>/dev/null)"
out "Gateway log: $(grep -c ' WARN ' "$WORK/gateway.log" || true) WARN, $(grep -c ' ERROR ' "$WORK/gateway.log" || true) ERROR lines; access lines of the transfers:"
grep 'mallgate.access' "$WORK/gateway.log" | grep '/admin/files' | tail -3 | sed 's/^.*mallgate.access - /    /' | tee -a "$RESULTS"
log "written: $RESULTS"
