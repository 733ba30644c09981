#!/usr/bin/env bash
# Refresh storm (issue 7, item 3). CI does not run it.
#
#   bench/storm.sh        # build the jar if missing, run one storm, print Markdown, write bench/results/storm-<stamp>.md
#
# What runs, all on loopback, on free ports, every process started here killed by the trap:
#   redis     a private redis-server (no persistence) shared by the gateways
#   gateways  INSTANCES × `java -jar target/mallgate.jar --config <generated yaml>`: Redis store, rateLimit off,
#             tokens.refreshBefore REFRESH_BEFORE_MS
#   harness   io.mallgate.bench.StormBench (src/test/java, compiled here with javac against the jar): the simulated
#             Cafe24 (its bucket off) and the load. It imports a mall's token through PUT /admin/malls/storm/token
#             with LEAD_MS + REFRESH_BEFORE_MS to live, then runs PER_INSTANCE concurrent GETs on each gateway in a
#             closed loop until every worker has had the answer to one request sent at or after T0, the moment the
#             token needs its refresh (expires_at - refreshBefore). With the default REFRESH_BEFORE_MS=1 that is the
#             expiry itself: the token expires mid-run, with every request in flight.
# Knobs (environment):
#   INSTANCES=3  PER_INSTANCE=300  LEAD_MS=4000  REFRESH_BEFORE_MS=1  WARMUP_MS=10000
#   POOL_SIZE=64   proxy.poolSize of each gateway (the gateway's default: calls queue for a pooled connection, which
#                  before 619b4fe could open the mall's circuit; see docs/benchmarks.md, "Refresh storm", Finding 1)
#   JAVA_OPTS=""   extra JVM flags for the gateways        RESULTS=bench/results/storm-<utc-stamp>.md
#   HARNESS_OPTS=""  extra JVM flags for the harness (simulator and load)
#   KEEP_WORK=1    keep the work directory (gateway and harness logs, configs) instead of deleting it (a failed
#                  storm keeps it anyway)
# Exit status 1 when the refresh was not redeemed exactly once, a refresh token was reused, or any answer was an error.
# Needs: java 17 (with javac), redis-server, redis-cli, curl, python3.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
INSTANCES=${INSTANCES:-3}
PER_INSTANCE=${PER_INSTANCE:-300}
LEAD_MS=${LEAD_MS:-4000}
REFRESH_BEFORE_MS=${REFRESH_BEFORE_MS:-1}
WARMUP_MS=${WARMUP_MS:-10000}
POOL_SIZE=${POOL_SIZE:-64}
JAVA_OPTS=${JAVA_OPTS:-}
HARNESS_OPTS=${HARNESS_OPTS:-}
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RESULTS=${RESULTS:-bench/results/storm-$STAMP.md}
JAR=target/mallgate.jar

. bench/lib.sh
bench_init storm java javac redis-server redis-cli curl python3
[ -f "$JAR" ] || mvn -B -q package -DskipTests
results_to "$RESULTS"

log "compiling the harness against $JAR"
mkdir -p "$WORK/classes"
javac -nowarn -d "$WORK/classes" -cp "$JAR" src/test/java/io/mallgate/bench/Storm*.java  # not the JMH classes: no JMH in the jar

# Secrets reach the processes by environment only, never on a command line or in a file.
export BENCH_ADMIN_TOKEN="admin-$(head -c16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export BENCH_CLIENT_SECRET="secret-$(head -c16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export BENCH_TOKEN_KEY="k$(date -u +%Y%m%d):$(head -c32 /dev/urandom | base64)"
CLIENT_ID=bench-client

REDIS_PORT=$(free_port); SIM_PORT=$(free_port)
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$WORK" \
  --logfile "$WORK/redis.log" & PIDS+=($!)
for _ in $(seq 100); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.05; done

GW_PORTS=()
for ((i = 0; i < INSTANCES; i++)); do
  port=$(free_port); GW_PORTS+=("$port"); mkdir -p "$WORK/g$i"
  cat >"$WORK/g$i/gateway.yaml" <<EOF
server:
  host: 127.0.0.1
  port: $port
redis:
  url: "redis://127.0.0.1:$REDIS_PORT"
cafe24:
  baseUrl: "http://127.0.0.1:$SIM_PORT/{mall}"
  allowInsecure: true
  clientId: $CLIENT_ID
  clientSecret: "\${BENCH_CLIENT_SECRET}"
  redirectUri: "http://127.0.0.1:$port/oauth/callback"
admin:
  token: "\${BENCH_ADMIN_TOKEN}"
store:
  file: $WORK/g$i/mallgate.db
proxy:
  # the default 32 per mall would answer 503 overloaded: the storm puts $PER_INSTANCE on one mall per instance
  maxConcurrentPerMall: 4096
  maxConcurrent: 4096
  poolSize: $POOL_SIZE
tokens:
  encryptionKeys: ["\${BENCH_TOKEN_KEY}"]
  refreshBefore: ${REFRESH_BEFORE_MS}ms
rateLimit:
  # the storm measures the refresh, not Cafe24's bucket (the simulator's is off too)
  enabled: false
EOF
done
java -jar "$JAR" --config "$WORK/g0/gateway.yaml" --check-config >/dev/null
GW_PIDS=()
for ((i = 0; i < INSTANCES; i++)); do
  # shellcheck disable=SC2086
  java $JAVA_OPTS -jar "$JAR" --config "$WORK/g$i/gateway.yaml" >"$WORK/g$i/gateway.log" 2>&1 & PIDS+=($!)
  GW_PIDS+=($!)
done
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.1f", ($14 + $15) / hz }' "/proc/$1/stat" 2>/dev/null || echo "?"; }

log "storm: $INSTANCES gateways × $PER_INSTANCE concurrent requests (the harness waits for the gateways to be ready)"
rc=0
# shellcheck disable=SC2086
java $HARNESS_OPTS -cp "$WORK/classes:$JAR" io.mallgate.bench.StormBench --simulator-port "$SIM_PORT" \
  --gateways "$(IFS=,; echo "${GW_PORTS[*]}")" --client-id "$CLIENT_ID" --per-instance "$PER_INSTANCE" \
  --lead-ms "$LEAD_MS" --refresh-before-ms "$REFRESH_BEFORE_MS" --warmup-ms "$WARMUP_MS" \
  --report "$WORK/storm.md" >"$WORK/harness.log" 2>&1 || rc=$?
[ -f "$WORK/storm.md" ] || { echo "the harness failed (exit $rc):" >&2; tail -30 "$WORK/harness.log" >&2; exit 1; }

out "# Mallgate refresh storm $STAMP"
out ""
out "| machine and versions | |"
out "|---|---|"
out "| cores (nproc) / load average at the end | $(nproc) / $(cut -d' ' -f1-3 /proc/loadavg) |"
out "| java | $(java -version 2>&1 | head -1) |"
out "| gateway JVM flags | \`${JAVA_OPTS:-none}\` |"
out "| settings | INSTANCES=$INSTANCES PER_INSTANCE=$PER_INSTANCE POOL_SIZE=$POOL_SIZE LEAD_MS=$LEAD_MS REFRESH_BEFORE_MS=$REFRESH_BEFORE_MS WARMUP_MS=$WARMUP_MS |"
out "| redis-server | $(redis-server --version | awk '{print $3}') |"
out "| gateway commit | $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src/main pom.xml || echo ' (src/main modified)') |"
out ""
out "$(grep -E '^(warm-up|harness)' "$WORK/harness.log" || true)"
out ""
out "$(cat "$WORK/storm.md")"
out ""
out "Per gateway, from its /metrics and its log:"
out ""
out "| gateway | refreshes_total (outcome, reason) | refresh lock waits: count, total s | access lines | WARN / ERROR lines | CPU s (whole run) |"
out "|---:|---|---:|---:|---|---:|"
for ((i = 0; i < INSTANCES; i++)); do
  metrics=$(curl -s "http://127.0.0.1:${GW_PORTS[$i]}/metrics" || true)
  refreshes=$(echo "$metrics" | awk '/^mallgate_refreshes_total\{/ { sub(/^mallgate_refreshes_total/, ""); printf "%s ", $0 }')
  waits=$(echo "$metrics" | awk '/^mallgate_refresh_lock_wait_seconds_(count|sum)/ { printf "%s%s", sep, $2; sep = ", " }')
  access=$(grep -c 'mallgate.access' "$WORK/g$i/gateway.log" || true)
  warn=$(grep -c ' WARN ' "$WORK/g$i/gateway.log" || true)
  error=$(grep -c ' ERROR ' "$WORK/g$i/gateway.log" || true)
  out "| $i | ${refreshes:-none} | ${waits:-0} | $access | $warn / $error | $(cpu_seconds "${GW_PIDS[$i]}") |"
done
out ""
out "Redis commands (whole run, all instances): \`$(redis-cli -p "$REDIS_PORT" info commandstats | tr -d '\r' |
  awk -F'[:,=]' '/^cmdstat_/ && $1 != "cmdstat_info" { sub("cmdstat_", "", $1); printf "%s=%s ", $1, $3 }')\`"
for ((i = 0; i < INSTANCES; i++)); do
  grep -E ' (WARN|ERROR) ' "$WORK/g$i/gateway.log" | head -5 | sed "s/^/    gateway $i: /" || true
done
grep -E ' (WARN|ERROR) ' "$WORK/harness.log" | head -5 | sed 's/^/    harness: /' || true
log "written: $RESULTS (harness exit $rc)"
exit "$rc"
