#!/usr/bin/env bash
# Mallgate benchmark harness (issue 7, first pass). CI does not run it.
#
#   bench/run.sh                 # build the jar if missing, run everything, print Markdown, write bench/results/
#
# Knobs (environment):
#   DURATION=10s        wrk duration per run            CONNS="16 64 256"   wrk connection counts
#   WRK_THREADS=2       wrk threads                     WARMUP=30s          warm-up of each JVM before measuring (JIT)
#   STARTUP_RUNS=5      start-up runs per series (4)    MALLS=10000         malls imported for the memory figure (0: skip)
#   PACE_RATE=<half of Mallgate's best req/s>  rate of the open-loop run (step 7), req/s, the same for all five
#   PACE_CONNS=32       its keep-alive connections      PACE_THREADS=2      its event loops
#   PACE_WARMUP=3s      its unmeasured warm-up at PACE_RATE (after a closed-loop prime), per target; then DURATION
#   JAVA_OPTS=""        extra JVM flags for the gateway (none by default: what `java -jar` does)
#   RL_MALLS=10000      malls the rate-limited Mallgate's load is spread over (wrk script bench/malls.lua)
#   STARTUP_ONLY=0      1: measure the start-up only (about a minute), skip wrk and the memory figures
#   RESULTS=bench/results/<utc-stamp>.md
#
# What runs, all on loopback, all started by this script on free ports and killed by its trap:
#   upstream  nginx, 1 worker, answering a fixed small JSON body for any path (stands in for Cafe24)
#   nginx     nginx as a plain reverse proxy (worker_processes auto, keep-alive pool to the upstream) injecting a
#             fixed `Authorization: Bearer` header: the floor a user could pick instead of the gateway
#   redis     a private redis-server (no persistence), so INFO commandstats counts only the gateway's commands
#   vertx     io.mallgate.bench.VertxFloor (src/test/java, compiled like OpenLoop): the least a Vert.x proxy does for
#             the same job (one server and pooled client per event loop, epoll, headers copied, bearer set): the floor
#   scg       Spring Cloud Gateway (bench/scg, built here with Maven): RewritePath + SetRequestHeader, reactive, epoll
#   mallgate  java -jar target/mallgate.jar --config <generated yaml>, Redis store, rateLimit off, one mall imported
#             through PUT /admin/malls/{mall}/token with a far-future expiry (no refresh happens)
#   mallgate-rl  a second gateway, same jar, same Redis, the shipped defaults (rate limiting on: one Redis script per
#             call), its load spread over RL_MALLS malls by bench/malls.lua; and once on one mall, capped by design
#   openloop  io.mallgate.bench.OpenLoop (src/test/java, compiled here with javac against the jar): the fixed-rate,
#             open-loop load of step 7 (latency from each request's intended send time, as wrk2 does)
# Needs: java 17 (with javac), Maven, wrk, nginx, redis-server, redis-cli, curl, python3
# (apt-get install wrk nginx-light redis-server).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
DURATION=${DURATION:-10s}
CONNS=${CONNS:-"16 64 256"}
WRK_THREADS=${WRK_THREADS:-2}
# 30 s: after 10 s on this loaded 2-core machine Spring Cloud Gateway still ran at a third of its warm throughput (C2)
WARMUP=${WARMUP:-30s}
STARTUP_RUNS=${STARTUP_RUNS:-5}
STARTUP_ONLY=${STARTUP_ONLY:-0}
MALLS=${MALLS:-10000}
PACE_CONNS=${PACE_CONNS:-32}
PACE_THREADS=${PACE_THREADS:-2}
PACE_WARMUP=${PACE_WARMUP:-3s}
JAVA_OPTS=${JAVA_OPTS:-}
RL_MALLS=${RL_MALLS:-10000}
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RESULTS=${RESULTS:-bench/results/$STAMP.md}
MALL=bench
JAR=target/mallgate.jar

. bench/lib.sh
bench_init bench java javac mvn wrk nginx redis-server redis-cli curl python3
[ -f "$JAR" ] || mvn -B -q package -DskipTests
SCG_JAR=bench/scg/target/scg-bench.jar
log "building Spring Cloud Gateway's peer (bench/scg)"
mvn -B -q -f bench/scg/pom.xml package -DskipTests

# Only OpenLoop and VertxFloor: the rest of the bench package holds JMH benchmarks (bench/jmh.sh) that need JMH.
mkdir -p "$WORK/classes"
javac -nowarn -d "$WORK/classes" -cp "$JAR" src/test/java/io/mallgate/bench/OpenLoop*.java \
  src/test/java/io/mallgate/bench/VertxFloor.java 2>&1 |
  { grep -v -e "Cannot find annotation method" -e "^[0-9]* warnings\?$" || true; } >&2
for class in OpenLoop VertxFloor; do
  [ -f "$WORK/classes/io/mallgate/bench/$class.class" ] || { echo "compiling $class failed" >&2; exit 1; }
done

results_to "$RESULTS"

UP_PORT=$(free_port); NGX_PORT=$(free_port); REDIS_PORT=$(free_port); GW_PORT=$(free_port)
VF_PORT=$(free_port); SCG_PORT=$(free_port); RL_PORT=$(free_port)
BEARER="bench-$(head -c12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
ADMIN_TOKEN="admin-$(head -c16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
TOKEN_KEY="k$(date -u +%Y%m%d):$(head -c32 /dev/urandom | base64)"
BODY='{"products":[{"shop_no":1,"product_no":7,"product_name":"bench","price":"1000.00"}]}'

# ---- upstream and nginx proxy -------------------------------------------------------------------------------
nginx_conf() { # name, workers, server block
  mkdir -p "$WORK/$1/tmp"
  cat >"$WORK/$1/nginx.conf" <<EOF
worker_processes $2;
daemon off;
pid $WORK/$1/nginx.pid;
error_log $WORK/$1/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $WORK/$1/tmp/body;
  proxy_temp_path $WORK/$1/tmp/proxy;
  fastcgi_temp_path $WORK/$1/tmp/fastcgi;
  uwsgi_temp_path $WORK/$1/tmp/uwsgi;
  scgi_temp_path $WORK/$1/tmp/scgi;
  keepalive_requests 1000000;
$3
}
EOF
}
nginx_conf upstream 1 "  server {
    listen 127.0.0.1:$UP_PORT;
    location / { default_type application/json; return 200 '$BODY'; }
    # what a proxy sent as Authorization, to check that each one injects the bearer
    location ~ /api/v2/admin/echo-auth\$ { default_type text/plain; return 200 \$http_authorization; }
  }"
nginx_conf proxy auto "  upstream up { server 127.0.0.1:$UP_PORT; keepalive 64; }
  server {
    listen 127.0.0.1:$NGX_PORT;
    location /malls/$MALL/ {
      proxy_pass http://up/$MALL/;
      proxy_http_version 1.1;
      proxy_set_header Connection \"\";
      proxy_set_header Authorization \"Bearer $BEARER\";
    }
  }"
nginx -p "$WORK/upstream" -c "$WORK/upstream/nginx.conf" & PIDS+=($!)
nginx -p "$WORK/proxy" -c "$WORK/proxy/nginx.conf" & PIDS+=($!)
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$WORK" \
  --logfile "$WORK/redis.log" & PIDS+=($!)
# The two other proxies, each its own JVM with default flags (as the gateway): /malls/$MALL/... -> /$MALL/...
java -cp "$WORK/classes:$JAR" io.mallgate.bench.VertxFloor "$VF_PORT" "$UP_PORT" "/malls/$MALL/" "/$MALL/" \
  "$BEARER" >"$WORK/vertx.log" 2>&1 & PIDS+=($!)
java -jar "$SCG_JAR" --server.port="$SCG_PORT" --bench.upstream="http://127.0.0.1:$UP_PORT" --bench.token="$BEARER" \
  >"$WORK/scg.log" 2>&1 & PIDS+=($!)

PATH_SUFFIX="/api/v2/admin/products"
URL_DIRECT="http://127.0.0.1:$UP_PORT/$MALL$PATH_SUFFIX"
URL_NGINX="http://127.0.0.1:$NGX_PORT/malls/$MALL$PATH_SUFFIX"
URL_GW="http://127.0.0.1:$GW_PORT/malls/$MALL$PATH_SUFFIX"
URL_VF="http://127.0.0.1:$VF_PORT/malls/$MALL$PATH_SUFFIX"
URL_SCG="http://127.0.0.1:$SCG_PORT/malls/$MALL$PATH_SUFFIX"
URL_RL="http://127.0.0.1:$RL_PORT/malls/$MALL$PATH_SUFFIX"
wait_http "$URL_DIRECT" 10
wait_http "$URL_NGINX" 10
wait_http "$URL_VF" 60
wait_http "$URL_SCG" 120
proxies_right() { # url...: each answers the upstream's body and sends it the bearer, or the comparison is void
  local url
  for url in "$@"; do
    [ "$(curl -s "$url")" = "$BODY" ] || { echo "$url does not answer the upstream's body" >&2; exit 1; }
    got=$(curl -s "${url%"$PATH_SUFFIX"}/api/v2/admin/echo-auth")
    [ "$got" = "Bearer $BEARER" ] ||
      { echo "${url%"$PATH_SUFFIX"}/api/v2/admin/echo-auth: the upstream got Authorization '${got:0:20}…'" >&2; exit 1; }
  done
}
proxies_right "$URL_NGINX" "$URL_VF" "$URL_SCG"
for _ in $(seq 100); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.05; done

# ---- gateway config -----------------------------------------------------------------------------------------
cat >"$WORK/gateway.yaml" <<EOF
server:
  host: 127.0.0.1
  port: $GW_PORT
redis:
  url: "redis://127.0.0.1:$REDIS_PORT"
cafe24:
  baseUrl: "http://127.0.0.1:$UP_PORT/{mall}"
  allowInsecure: true
  clientId: bench-client
  clientSecret: bench-secret-not-used
  redirectUri: "http://127.0.0.1:$GW_PORT/oauth/callback"
admin:
  token: "$ADMIN_TOKEN"
store:
  file: $WORK/mallgate.db
proxy:
  # the defaults (32 per mall) would answer 503 overloaded past 32 connections on the one benchmark mall
  maxConcurrentPerMall: 4096
  maxConcurrent: 4096
tokens:
  encryptionKeys: ["$TOKEN_KEY"]
rateLimit:
  enabled: false
EOF
# The rate-limited gateway: the same without the proxy and rateLimit sections (the shipped defaults: rate limiting
# on, 32 calls in flight per mall), on its own port, sharing the Redis (and so the imported tokens).
sed -e '/^proxy:/,/^[a-z]/{/^proxy:/d;/^  /d}' -e '/^rateLimit:/,$d' -e "s/^  port: $GW_PORT\$/  port: $RL_PORT/" \
  -e "s#^  file: .*#  file: $WORK/rl-tokens.json#" "$WORK/gateway.yaml" >"$WORK/gateway-rl.yaml"
# The same without Redis (the embedded store), for the start-up figures only.
mkdir -p "$WORK/embedded"
sed -e '/^redis:/,/^[a-z]/{/^redis:/d;/^  /d}' -e "s#^  file: .*#  file: $WORK/embedded/mallgate.db#" \
  "$WORK/gateway.yaml" >"$WORK/gateway-embedded.yaml"
GW_LOG="$WORK/gateway.log"
start_gateway() { # [config file] [extra JVM flags...]
  local config=${1:-$WORK/gateway.yaml}
  shift || true
  # shellcheck disable=SC2086
  java $JAVA_OPTS "$@" -jar "$JAR" --config "$config" >>"$GW_LOG" 2>&1 & GW_PID=$!
  PIDS+=("$GW_PID")
}
stop_gateway() {
  local i
  kill "$GW_PID" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do kill -0 "$GW_PID" 2>/dev/null || break; sleep 0.05; done
  kill -9 "$GW_PID" 2>/dev/null || true
  wait "$GW_PID" 2>/dev/null || true
}
java -jar "$JAR" --config "$WORK/gateway.yaml" --check-config >/dev/null
java -jar "$JAR" --config "$WORK/gateway-rl.yaml" --check-config | grep -q "listen 127.0.0.1:$RL_PORT, store redis" ||
  { echo "the rate-limited config is not the Redis store on port $RL_PORT" >&2; exit 1; }
! grep -q -e '^rateLimit:' -e '^proxy:' "$WORK/gateway-rl.yaml" || { echo "gateway-rl.yaml is not the defaults" >&2; exit 1; }
java -jar "$JAR" --config "$WORK/gateway-embedded.yaml" --check-config | grep -q 'store embedded' ||
  { echo "the embedded-store config still names Redis" >&2; exit 1; }

# ---- machine and versions -----------------------------------------------------------------------------------
out "# Mallgate benchmark run $STAMP"
out ""
out "## Machine and versions"
out ""
out "| what | value |"
out "|---|---|"
out "| cores (nproc) | $(nproc) |"
out "| CPU | $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//') |"
out "| RAM | $(free -m | awk '/^Mem:/ {printf "%d MiB total, %d MiB available", $2, $7}') |"
out "| load average at start | $(cut -d' ' -f1-3 /proc/loadavg) |"
out "| kernel | $(uname -r) |"
out "| java | $(java -version 2>&1 | head -1) |"
out "| JVM flags | \`${JAVA_OPTS:-none}\` |"
out "| nginx | $(nginx -v 2>&1 | sed 's/.*: //') |"
out "| wrk | $(wrk -v 2>&1 | head -1 | awk '{print $1, $2}') |"
out "| redis-server | $(redis-server --version | awk '{print $3}') |"
out "| Vert.x floor | io.mallgate.bench.VertxFloor on the jar's Vert.x $(unzip -p "$JAR" META-INF/vertx/vertx-version.txt 2>/dev/null || echo '?'), $(grep -o 'native transport [a-z]*' "$WORK/vertx.log") |"
out "| Spring Cloud Gateway | $(unzip -l "$SCG_JAR" | grep -o 'spring-cloud-gateway-server-webflux-[0-9.]*[0-9]' | head -1 | sed 's/.*webflux-//') (Spring Boot $(unzip -l "$SCG_JAR" | grep -o 'spring-boot-[0-9][0-9.]*[0-9]' | head -1 | sed 's/spring-boot-//'), spring-cloud-dependencies $(sed -n 's:.*<spring-cloud.version>\(.*\)</spring-cloud.version>.*:\1:p' bench/scg/pom.xml), Reactor Netty $(unzip -l "$SCG_JAR" | grep -o 'reactor-netty-http-[0-9.]*[0-9]' | head -1 | sed 's/.*http-//'), epoll) |"
out "| gateway commit | $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src pom.xml || echo ' (src modified)') |"
out "| settings | DURATION=$DURATION CONNS=\"$CONNS\" WRK_THREADS=$WRK_THREADS WARMUP=$WARMUP PACE_CONNS=$PACE_CONNS PACE_THREADS=$PACE_THREADS PACE_WARMUP=$PACE_WARMUP RL_MALLS=$RL_MALLS |"
out ""

# ---- 3. start-up --------------------------------------------------------------------------------------------
# Four series, interleaved so that they share the machine's noise: Redis and embedded store, each with the default
# JVM flags and with an AppCDS archive of this jar (scripts/cds-archive.sh, as the image does).
log "AppCDS archive of $JAR (scripts/cds-archive.sh)"
CDS_ARCHIVE="$WORK/mallgate.jsa"
scripts/cds-archive.sh "$JAR" "$CDS_ARCHIVE" 2>"$WORK/cds.log" ||
  { echo "scripts/cds-archive.sh failed:" >&2; cat "$WORK/cds.log" >&2; exit 1; }
STARTUP_SERIES=(
  "Redis|default|$WORK/gateway.yaml|"
  "Redis|AppCDS archive|$WORK/gateway.yaml|-XX:SharedArchiveFile=$CDS_ARCHIVE"
  "embedded|default|$WORK/gateway-embedded.yaml|"
  "embedded|AppCDS archive|$WORK/gateway-embedded.yaml|-XX:SharedArchiveFile=$CDS_ARCHIVE"
)
declare -A STARTUP_MS STARTUP_CPU
log "start-up, $STARTUP_RUNS runs of each of ${#STARTUP_SERIES[@]} series"
for ((i = 0; i < STARTUP_RUNS; i++)); do
  for series in "${STARTUP_SERIES[@]}"; do
    IFS='|' read -r store flags config extra <<<"$series"
    t0=$(date +%s%N)
    # shellcheck disable=SC2086
    start_gateway "$config" $extra
    wait_http "http://127.0.0.1:$GW_PORT/health/live" 60
    t1=$(date +%s%N)
    # CPU the gateway used until then (user + system, all its threads), from /proc in clock ticks
    cpu=$(awk -v hz="$(getconf CLK_TCK)" '{ printf "%d", ($14 + $15) * 1000 / hz }' "/proc/$GW_PID/stat")
    log "start-up, $store, $flags: $(((t1 - t0) / 1000000)) ms, CPU $cpu ms"
    STARTUP_MS[$store|$flags]+="$(((t1 - t0) / 1000000)) "
    STARTUP_CPU[$store|$flags]+="$cpu "
    stop_gateway
  done
done
median() { tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2)) }'; }
startup_table() {
  out "## Start-up (java -jar to /health/live answering, curl polled every 10 ms; $STARTUP_RUNS runs of each, interleaved)"
  out ""
  out "| store | JVM flags | median ms | sorted ms | median CPU ms (user + system, all threads) |"
  out "|---|---|---:|---|---:|"
  local series store flags
  for series in "${STARTUP_SERIES[@]}"; do
    IFS='|' read -r store flags _ _ <<<"$series"
    out "| $store | $flags${JAVA_OPTS:+ + \`$JAVA_OPTS\`} | $(median <<<"${STARTUP_MS[$store|$flags]:-}") |" \
      "$(tr ' ' '\n' <<<"${STARTUP_MS[$store|$flags]:-}" | grep . | sort -n | tr '\n' ' ')| $(median <<<"${STARTUP_CPU[$store|$flags]:-}") |"
  done
  out ""
  out "AppCDS archive: \`scripts/cds-archive.sh\` on this jar ($(du -h "$CDS_ARCHIVE" | cut -f1)), used with \`-XX:SharedArchiveFile\`."
  out ""
}
if [ "$STARTUP_ONLY" = 1 ]; then
  startup_table
  log "written: $RESULTS"
  exit 0
fi

# ---- the gateway under load ---------------------------------------------------------------------------------
start_gateway
wait_http "http://127.0.0.1:$GW_PORT/health/live" 60
FAR='2099-12-31T00:00:00.000'
token_body() { # mall
  printf '{"access_token":"%s","refresh_token":"r-%s","expires_at":"%s","refresh_token_expires_at":"%s","mall_id":"%s","scopes":["mall.read_product"],"token_type":"bearer"}' \
    "$BEARER" "$1" "$FAR" "$FAR" "$1"
}
code=$(curl -s -o "$WORK/import.json" -w '%{http_code}' -X PUT -H "Authorization: Bearer $ADMIN_TOKEN" \
  -H 'Content-Type: application/json' --data "$(token_body "$MALL")" "http://127.0.0.1:$GW_PORT/admin/malls/$MALL/token")
[ "$code" = 200 ] || { echo "token import failed: $code $(cat "$WORK/import.json")" >&2; tail -20 "$GW_LOG" >&2; exit 1; }
code=$(curl -s -o /dev/null -w '%{http_code}' "$URL_GW")
[ "$code" = 200 ] || { echo "gateway answers $code on $URL_GW" >&2; tail -20 "$GW_LOG" >&2; exit 1; }
proxies_right "$URL_GW"

import_conf() { # prefix count port: a curl config, one token import (PUT) per mall <prefix>0..<prefix><count - 1>
  # (written by awk: a shell loop forking per mall takes minutes)
  awk -v prefix="$1" -v n="$2" -v port="$3" -v admin="$ADMIN_TOKEN" -v bearer="$BEARER" -v far="$FAR" 'BEGIN {
    for (i = 0; i < n; i++) {
      m = prefix i
      if (i > 0) print "next"
      print "silent"; print "write-out = \"%{http_code}\\n\""; print "output = \"/dev/null\""
      print "url = \"http://127.0.0.1:" port "/admin/malls/" m "/token\""
      print "request = \"PUT\""
      print "header = \"Authorization: Bearer " admin "\""
      print "header = \"Content-Type: application/json\""
      printf "data = \"{\\\"access_token\\\":\\\"%s\\\",\\\"refresh_token\\\":\\\"r-%s\\\",\\\"expires_at\\\":\\\"%s\\\",\\\"refresh_token_expires_at\\\":\\\"%s\\\",\\\"mall_id\\\":\\\"%s\\\"}\"\n", bearer, m, far, far, m
    } }'
}

# The rate-limited gateway: mall $MALL for the capped run, and malls r0..r<RL_MALLS - 1> to spread the load over.
RL_LOG="$WORK/gateway-rl.log"
java $JAVA_OPTS -jar "$JAR" --config "$WORK/gateway-rl.yaml" >>"$RL_LOG" 2>&1 & RL_PID=$!
PIDS+=("$RL_PID")
wait_http "http://127.0.0.1:$RL_PORT/health/live" 60
log "importing $RL_MALLS malls' tokens through the rate-limited gateway"
import_conf r "$RL_MALLS" "$RL_PORT" >"$WORK/import-rl.curl"
ok=$(curl -s --parallel --parallel-max 32 --no-progress-meter -K "$WORK/import-rl.curl" | grep -c '^200$' || true)
[ "$ok" = "$RL_MALLS" ] || { echo "imported $ok of $RL_MALLS malls into the rate-limited gateway" >&2; exit 1; }
proxies_right "$URL_RL" "http://127.0.0.1:$RL_PORT/malls/r0$PATH_SUFFIX"
RL_BASE="http://127.0.0.1:$RL_PORT"
RL_SCRIPT=(-s bench/malls.lua "$RL_BASE" -- "$RL_MALLS" r "$PATH_SUFFIX" "$WRK_THREADS")

# wrk output -> "rps requests errors p50 p75 p90 p99" (latencies in ms)
run_wrk() { # url-or-"rl" conns duration [more wrk flags]: "rl" is the rate-limited gateway over RL_MALLS malls
  local f="$WORK/wrk.out" target=$1 conns=$2 duration=$3
  shift 3
  if [ "$target" = rl ]; then set -- "$@" "${RL_SCRIPT[@]}"; else set -- "$@" "$target"; fi
  wrk -t"$WRK_THREADS" -c"$conns" -d"$duration" --latency "$@" >"$f" 2>&1 || true
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec:/ { rps = $2 }
    / requests in / { n = $1 }
    /Non-2xx or 3xx responses:/ { err += $NF }
    /Socket errors:/ { gsub(",", ""); err += $4 + $6 + $8 + $10 }
    $1 == "50%" { p50 = ms($2) } $1 == "75%" { p75 = ms($2) } $1 == "90%" { p90 = ms($2) } $1 == "99%" { p99 = ms($2) }
    END { printf "%s %s %d %.3f %.3f %.3f %.3f\n", rps, n, err, p50, p75, p90, p99 }' "$f"
}
redis_calls() { # total calls of every command but INFO
  redis-cli -p "$REDIS_PORT" info commandstats | tr -d '\r' |
    awk -F'[:,=]' '/^cmdstat_/ && $1 != "cmdstat_info" { s += $3 } END { print s + 0 }'
}

TARGETS="direct nginx vertx scg mallgate mallgate-rl"
url_of() { # target
  case $1 in
    direct) echo "$URL_DIRECT" ;; nginx) echo "$URL_NGINX" ;; vertx) echo "$URL_VF" ;; scg) echo "$URL_SCG" ;;
    mallgate) echo "$URL_GW" ;; mallgate-rl) echo rl ;;
  esac
}
loadavg() { cut -d' ' -f1 /proc/loadavg; }
LOAD_BEFORE_WRK=$(cut -d' ' -f1-3 /proc/loadavg)
log "warm-up: each JVM (vertx, scg, mallgate, mallgate-rl) $WARMUP, nginx and direct 3s, at 64 connections"
for target in vertx scg mallgate mallgate-rl; do run_wrk "$(url_of $target)" 64 "$WARMUP" >/dev/null; done
run_wrk "$URL_NGINX" 64 3s >/dev/null
run_wrk "$URL_DIRECT" 64 3s >/dev/null

declare -A R LOAD
REDIS_ROWS=()
for c in $CONNS; do
  for target in $TARGETS; do
    LOAD[$target.$c]=$(loadavg)
    log "wrk -c$c $target (load average ${LOAD[$target.$c]})"
    before=$(redis_calls)
    R[$target.$c]=$(run_wrk "$(url_of $target)" "$c" "$DURATION")
    after=$(redis_calls)
    if [ "${target%-rl}" = mallgate ]; then
      n=$(echo "${R[$target.$c]}" | awk '{print $2}')
      REDIS_ROWS+=("| $c | $target | $n | $((after - before)) | $(awk -v a=$((after - before)) -v n="$n" 'BEGIN { printf "%.5f", (n > 0 ? a / n : 0) }') |")
    fi
  done
done
# Rate limiting on, one mall: the gateway holds each call for the mall's slot (a burst of rateLimit.capacity paced at
# maxPerSecond, then perSecond), so this measures the design's cap; wrk waits up to 15 s for an answer.
log "wrk -c16 mallgate-rl, one mall (capped by design)"
R1=$(run_wrk "$URL_RL" 16 "$DURATION" --timeout 15s)
# ---- latency at one fixed rate, open loop: half of Mallgate's best req/s above, for all three ----------------
PACE_RATE=${PACE_RATE:-$(for c in $CONNS; do echo "${R[mallgate.$c]}"; done | awk '{ if ($1 > m) m = $1 } END { printf "%d", m / 2 }')}
declare -A P
for target in direct nginx vertx scg mallgate; do
  url=$(url_of $target)
  log "open loop: $target, $PACE_RATE req/s, $PACE_CONNS connections, $PACE_THREADS event loop(s), $PACE_WARMUP + $DURATION"
  # OPENLOOP target achieved requests errors p50 p90 p99 p99.9 max -> "achieved p50 p90 p99 p99.9 max errors"
  # in the background and waited for, so that the trap (which kills it) runs at once on INT or TERM; its summary and
  # per-second p50/p99/max (a p50 that climbs second after second: the rate is past what the target sustains) on stderr
  java -cp "$WORK/classes:$JAR" io.mallgate.bench.OpenLoop --url "$url" --rate "$PACE_RATE" --duration "$DURATION" \
    --warmup "$PACE_WARMUP" --conns "$PACE_CONNS" --threads "$PACE_THREADS" --timeline true >"$WORK/openloop.out" 2>"$WORK/openloop-$target.log" &
  PIDS+=($!)
  wait $! || true
  P[$target]=$(awk '/^OPENLOOP/ { print $3, $6, $7, $8, $9, $10, $5 }' "$WORK/openloop.out")
  sed 's/^/  /' "$WORK/openloop-$target.log" >&2
  [ -n "${P[$target]}" ] || { echo "open loop against $target failed:" >&2; cat "$WORK/openloop-$target.log" >&2; exit 1; }
done
RSS_AFTER_LOAD=$(ps -o rss= -p "$GW_PID" | tr -d ' ')
HEAP_AFTER_LOAD=$(jcmd "$GW_PID" GC.heap_info 2>/dev/null | awk '/total/ && /used/ { print; exit }' | sed 's/^ *//' || true)
REDIS_BREAKDOWN=$(redis-cli -p "$REDIS_PORT" info commandstats | tr -d '\r' |
  awk -F'[:,=]' '/^cmdstat_/ && $1 != "cmdstat_info" { sub("cmdstat_", "", $1); printf "%s=%s ", $1, $3 }')

# ---- 1. throughput and latency table ------------------------------------------------------------------------
out "## Throughput and latency (wrk -t$WRK_THREADS, $DURATION per run, GET of an 84-byte JSON body)"
out ""
out "Load average (1 min) before the wrk runs: $LOAD_BEFORE_WRK; each row's is in its \"load\" column. mallgate-rl is"
out "Mallgate with the shipped defaults (rate limiting on), its load spread over $RL_MALLS malls (bench/malls.lua)."
out ""
out "| conns | target | req/s | vs nginx | vs Vert.x floor | p50 ms | p75 ms | p90 ms | p99 ms | added p50 / p99 over direct, ms | errors | load |"
out "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
rps_of() { echo "${R[$1]}" | awk '{ print $1 }'; }
for c in $CONNS; do
  read -r _ _ _ dp50 _ _ dp99 <<<"${R[direct.$c]}"
  for target in $TARGETS; do
    read -r rps _ err p50 p75 p90 p99 <<<"${R[$target.$c]}"
    added=$(awk -v a="$p50" -v b="$dp50" -v c="$p99" -v d="$dp99" 'BEGIN { printf "%+.3f / %+.3f", a - b, c - d }')
    [ $target = direct ] && added="—"
    out "| $c | $target | $(printf '%.0f' "$rps") | $(ratio "$rps" "$(rps_of nginx.$c)") | $(ratio "$rps" "$(rps_of vertx.$c)") |" \
      "$p50 | $p75 | $p90 | $p99 | $added | $err | ${LOAD[$target.$c]} |"
  done
done
out ""
out "### Ratios of throughput (req/s over req/s, same run)"
out ""
out "| conns | Mallgate / nginx | Mallgate / SCG | Mallgate / Vert.x floor | SCG / Vert.x floor | nginx / Vert.x floor | Mallgate rate-limited / Mallgate | Mallgate rate-limited / Vert.x floor |"
out "|---:|---:|---:|---:|---:|---:|---:|---:|"
for c in $CONNS; do
  m=$(rps_of mallgate.$c); v=$(rps_of vertx.$c); rl=$(rps_of mallgate-rl.$c)
  out "| $c | $(ratio "$m" "$(rps_of nginx.$c)") | $(ratio "$m" "$(rps_of scg.$c)") | $(ratio "$m" "$v") |" \
    "$(ratio "$(rps_of scg.$c)" "$v") | $(ratio "$(rps_of nginx.$c)" "$v") | $(ratio "$rl" "$m") | $(ratio "$rl" "$v") |"
done
out ""
read -r rps n err p50 _ _ p99 <<<"$R1"
out "Rate limiting on, **one mall** (capped by design: a burst of \`rateLimit.capacity\` 40 paced at \`maxPerSecond\` 9/s,"
out "then \`perSecond\` 2/s), wrk -c16 --timeout 15s, $DURATION: **$rps req/s** ($n answers, $err errors or non-2xx), p50 $p50 ms, p99 $p99 ms."
out ""
out "## Latency at a fixed rate, open loop (target $PACE_RATE req/s for all five: OpenLoop, $PACE_CONNS connections, $PACE_THREADS event loops)"
out ""
out "Open loop (as wrk2): request i is due at t0 + i / rate whatever happened before it, and its latency runs from that"
out "intended time to the end of its answer, so a stall counts for every request that should have gone out during it"
out "(no coordinated omission). $PACE_WARMUP warm-up at the rate, then $DURATION measured."
out ""
out "| target | achieved req/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | added p50 / p99 / p99.9 over direct, ms | errors |"
out "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
read -r _ dp50 _ dp99 dp999 _ _ <<<"${P[direct]}"
for target in direct nginx vertx scg mallgate; do
  read -r rps p50 p90 p99 p999 pmax perr <<<"${P[$target]}"
  added=$(awk -v a="$p50" -v b="$dp50" -v c="$p99" -v d="$dp99" -v e="$p999" -v f="$dp999" 'BEGIN { printf "%+.3f / %+.3f / %+.3f", a - b, c - d, e - f }')
  [ $target = direct ] && added="—"
  out "| $target | $rps | $p50 | $p90 | $p99 | $p999 | $pmax | $added | $perr |"
done
out ""
out "## Redis commands per proxied request (private redis-server, INFO commandstats around each Mallgate run)"
out ""
out "| conns | target | requests | Redis commands | per request |"
out "|---:|---|---:|---:|---:|"
for row in "${REDIS_ROWS[@]}"; do out "$row"; done
out ""
out "All commands since the gateway started (import, keep-alive, health, locks included): \`$REDIS_BREAKDOWN\`"
out ""

# ---- 4. memory ----------------------------------------------------------------------------------------------
RSS_AFTER_IMPORT="—"; RSS_AFTER_CACHE="—"; IMPORT_OK="—"; CACHE_OK="—"; IMPORT_S="—"; CACHE_S="—"
if [ "$MALLS" -gt 0 ]; then
  log "importing $MALLS malls' tokens through the admin API"
  import_conf m "$MALLS" "$GW_PORT" >"$WORK/import.curl"
  t0=$(date +%s%N)
  IMPORT_OK=$(curl -s --parallel --parallel-max 32 --no-progress-meter -K "$WORK/import.curl" | grep -c '^200$' || true)
  IMPORT_S=$(awk -v n=$(( $(date +%s%N) - t0 )) 'BEGIN { printf "%.1f", n / 1e9 }')
  RSS_AFTER_IMPORT=$(ps -o rss= -p "$GW_PID" | tr -d ' ')
  log "one proxied GET per imported mall (their tokens enter the gateway's cache)"
  awk -v n="$MALLS" -v port="$GW_PORT" -v path="$PATH_SUFFIX" 'BEGIN {
    for (i = 0; i < n; i++) {
      if (i > 0) print "next"
      print "silent"; print "write-out = \"%{http_code}\\n\""; print "output = \"/dev/null\""
      print "url = \"http://127.0.0.1:" port "/malls/m" i path "\""
    } }' >"$WORK/get.curl"
  t0=$(date +%s%N)
  CACHE_OK=$(curl -s --parallel --parallel-max 32 --no-progress-meter -K "$WORK/get.curl" | grep -c '^200$' || true)
  CACHE_S=$(awk -v n=$(( $(date +%s%N) - t0 )) 'BEGIN { printf "%.1f", n / 1e9 }')
  RSS_AFTER_CACHE=$(ps -o rss= -p "$GW_PID" | tr -d ' ')
fi
HEAP_AFTER_CACHE=$(jcmd "$GW_PID" GC.heap_info 2>/dev/null | awk '/total/ && /used/ { print; exit }' | sed 's/^ *//' || true)
mib() { awk -v k="$1" 'BEGIN { if (k ~ /^[0-9]+$/) printf "%.0f MiB", k / 1024; else print k }'; }

out "## Memory (RSS of the gateway process, ps -o rss)"
out ""
out "| when | RSS | heap (jcmd GC.heap_info) |"
out "|---|---:|---|"
out "| after the throughput runs (1 mall) | $(mib "$RSS_AFTER_LOAD") | ${HEAP_AFTER_LOAD:-—} |"
out "| after importing $MALLS malls ($IMPORT_OK × 200 in $IMPORT_S s, curl --parallel 32) | $(mib "$RSS_AFTER_IMPORT") | |"
out "| after one proxied GET per mall ($CACHE_OK × 200 in $CACHE_S s) | $(mib "$RSS_AFTER_CACHE") | ${HEAP_AFTER_CACHE:-—} |"
out ""
startup_table
out "## Gateway log during the run"
out ""
out "- access lines per thread: $(awk '/mallgate.access/ { n[$3]++ } END { for (t in n) printf "%s %d; ", t, n[t] }' "$GW_LOG")"
out "- ERROR lines: rate-limited gateway $(grep -c ' ERROR ' "$RL_LOG" || true), Vert.x floor $(grep -c ' ERROR ' "$WORK/vertx.log" || true), SCG $(grep -c ' ERROR ' "$WORK/scg.log" || true)"
out "- load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
out "- ERROR lines: $(grep -c ' ERROR ' "$GW_LOG" || true); distinct exceptions: $(grep -oE '^[a-z.]+\.[A-Za-z]+(Exception|Error): [^(]{0,60}' "$GW_LOG" | sort | uniq -c | sort -rn | head -5 | awk '{ $1 = $1 "×"; print }' | paste -sd ';' - || true)"
out ""
stop_gateway
log "written: $RESULTS"
