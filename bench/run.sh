#!/usr/bin/env bash
# Mallgate benchmark harness (issue 7, first pass). CI does not run it.
#
#   bench/run.sh                 # build the jar if missing, run everything, print Markdown, write bench/results/
#   bench/run.sh --only startup  # the start-up only (about a minute): java -jar against bin/mallgate, both stores
#   bench/run.sh --only runtime  # Java 17 against Java 25 (issue 16): start-up (plain, AppCDS, AOT cache), then per
#                                # runtime variant p99 at a fixed open-loop rate and RSS with MALLS malls (~15 min)
#
# Knobs (environment):
#   DURATION=10s        wrk duration per run            CONNS="16 64 256"   wrk connection counts
#   WRK_ROUNDS=3        rounds of every target at every count, in turn (the median round's req/s is reported)
#   WRK_THREADS=2       wrk threads                     WARMUP=30s          warm-up of each JVM before measuring (JIT)
#   STARTUP_RUNS=5      start-up runs per series (0: none)    MALLS=10000         malls imported for the memory figure (0: skip)
#   PACE_RATE=<half of Mallgate's best req/s>  rate of the open-loop run (step 7), req/s, the same for all five
#   PACE_CONNS=32       its keep-alive connections      PACE_THREADS=2      its event loops
#   PACE_WARMUP=10s     its unmeasured warm-up at PACE_RATE (after a closed-loop prime), per target; then DURATION
#   JAVA_OPTS=""        extra JVM flags for the gateway (none by default: what `java -jar` does)
#   RL_MALLS=10000      malls the rate-limited Mallgate's load is spread over (wrk script bench/malls.lua)
#   STARTUP_ONLY=0      1: as --only startup
#   --only runtime:     JAVA17_HOME (the java on PATH's home)  JAVA25_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
#                       RUNTIME_VARIANTS="17-jar 17 25-jar 25 25-redis 25-nocoh 25-zgc 25-safe 25,-XX:+UseSerialGC"
#                       (names: runtime_variant below; NAME,FLAG,...: that variant plus JVM flags, e.g. 25,-Xmx96m)
#                       RUNTIME_ROUNDS=2 (each variant once per round, interleaved; 0: the start-up only)
#                       PACE_RATE=1000  PACE_WARMUP=10s  DURATION=20s (the open loop per variant)
#                       RUNTIME_WRK=64: also wrk -c64 for DURATION per variant (its throughput)
#                       JAVA_OPTS=-XX:NativeMemoryTracking=summary: each variant's native memory beside RESULTS
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
#   mallgate  java -jar target/mallgate.jar --config <generated yaml>, Redis store, rateLimit and coalescing off, one mall imported
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
ONLY=
while [ $# -gt 0 ]; do
  case $1 in
    --only) ONLY=${2:-}; shift 2 || shift ;;
    --only=*) ONLY=${1#--only=}; shift ;;
    *) ONLY=?; break ;;
  esac
done
[ "${STARTUP_ONLY:-0}" != 1 ] || ONLY=${ONLY:-startup}
case $ONLY in '' | startup | runtime) ;; *) echo "usage: bench/run.sh [--only startup|runtime]" >&2; exit 2 ;; esac
if [ "$ONLY" = runtime ]; then
  # A rate where no variant saturates the 2 cores even while other work shares them (at 3,000 req/s and a load
  # average of 13-25 every variant fell behind): the tail then shows collector pauses and compilation rather than a
  # queue; a longer warm-up for fresh JVMs.
  PACE_RATE=${PACE_RATE:-1000}
  PACE_WARMUP=${PACE_WARMUP:-10s}
  DURATION=${DURATION:-20s}
fi
DURATION=${DURATION:-10s}
CONNS=${CONNS:-"16 64 256"}
WRK_ROUNDS=${WRK_ROUNDS:-3}
WRK_THREADS=${WRK_THREADS:-2}
# 30 s: after 10 s on this loaded 2-core machine Spring Cloud Gateway still ran at a third of its warm throughput (C2)
WARMUP=${WARMUP:-30s}
STARTUP_RUNS=${STARTUP_RUNS:-5}
STARTUP_ONLY=${STARTUP_ONLY:-0}
MALLS=${MALLS:-10000}
PACE_CONNS=${PACE_CONNS:-32}
PACE_THREADS=${PACE_THREADS:-2}
PACE_WARMUP=${PACE_WARMUP:-10s}
JAVA_OPTS=${JAVA_OPTS:-}
RL_MALLS=${RL_MALLS:-10000}
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RESULTS=${RESULTS:-bench/results/$STAMP.md}
MALL=bench
JAR=target/mallgate.jar

. bench/lib.sh
if [ -z "$ONLY" ]; then
  bench_init bench java javac mvn wrk nginx redis-server redis-cli curl python3
else
  bench_init bench java javac mvn nginx redis-server redis-cli curl python3 jcmd
fi
[ -f "$JAR" ] || mvn -B -q package -DskipTests
SCG_JAR=bench/scg/target/scg-bench.jar
if [ -z "$ONLY" ]; then
  log "building Spring Cloud Gateway's peer (bench/scg)"
  mvn -B -q -f bench/scg/pom.xml package -DskipTests
fi

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
[ -n "$ONLY" ] || { nginx -p "$WORK/proxy" -c "$WORK/proxy/nginx.conf" & PIDS+=($!); }
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$WORK" \
  --logfile "$WORK/redis.log" & PIDS+=($!)
# The two other proxies, each its own JVM with default flags (as the gateway): /malls/$MALL/... -> /$MALL/...
if [ -z "$ONLY" ]; then
  java -cp "$WORK/classes:$JAR" io.mallgate.bench.VertxFloor "$VF_PORT" "$UP_PORT" "/malls/$MALL/" "/$MALL/" \
    "$BEARER" >"$WORK/vertx.log" 2>&1 & PIDS+=($!); VF_PID=$!
  java -jar "$SCG_JAR" --server.port="$SCG_PORT" --bench.upstream="http://127.0.0.1:$UP_PORT" --bench.token="$BEARER" \
    >"$WORK/scg.log" 2>&1 & PIDS+=($!); SCG_PID=$!
fi

PATH_SUFFIX="/api/v2/admin/products"
URL_DIRECT="http://127.0.0.1:$UP_PORT/$MALL$PATH_SUFFIX"
URL_NGINX="http://127.0.0.1:$NGX_PORT/malls/$MALL$PATH_SUFFIX"
URL_GW="http://127.0.0.1:$GW_PORT/malls/$MALL$PATH_SUFFIX"
URL_VF="http://127.0.0.1:$VF_PORT/malls/$MALL$PATH_SUFFIX"
URL_SCG="http://127.0.0.1:$SCG_PORT/malls/$MALL$PATH_SUFFIX"
URL_RL="http://127.0.0.1:$RL_PORT/malls/$MALL$PATH_SUFFIX"
wait_http "$URL_DIRECT" 10
if [ -z "$ONLY" ]; then
  wait_http "$URL_NGINX" 10
  wait_http "$URL_VF" 60
  wait_http "$URL_SCG" 120
fi
proxies_right() { # url...: each answers the upstream's body and sends it the bearer, or the comparison is void
  local url
  for url in "$@"; do
    [ "$(curl -s "$url")" = "$BODY" ] || { echo "$url does not answer the upstream's body" >&2; exit 1; }
    got=$(curl -s "${url%"$PATH_SUFFIX"}/api/v2/admin/echo-auth")
    [ "$got" = "Bearer $BEARER" ] ||
      { echo "${url%"$PATH_SUFFIX"}/api/v2/admin/echo-auth: the upstream got Authorization '${got:0:20}…'" >&2; exit 1; }
  done
}
[ -n "$ONLY" ] || proxies_right "$URL_NGINX" "$URL_VF" "$URL_SCG"
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
  # wrk sends one GET over and over: shared calls would make fewer upstream calls than the floor and nginx make
  coalesce: false
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
# How a gateway is started, a "runtime variant": runtime_variant NAME prints "label|JAVA_HOME|how|JVM flags|cache",
# how = jar (`java FLAGS -jar`, nothing else) or launcher (bin/mallgate, as shipped: its defaults, then FLAGS in
# JAVA_OPTS, and the start-up cache: none, jsa = an AppCDS archive, aot = an AOT cache, each made for the variant by
# scripts/aot-cache.sh through the launcher with the same JDK and flags, as a JVM refuses a cache made otherwise;
# -redis: trained on a private Redis, MALLGATE_TRAIN_STORE=redis, as the image's).
# JAVA_OPTS is added to every variant's flags.
JAVA17_HOME=${JAVA17_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
JAVA25_HOME=${JAVA25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
java_release() { sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release"; }
runtime_variant() { # NAME[,FLAG...]: a variant below, plus JVM flags (e.g. 25,-XX:+UseSerialGC,-Xmx128m)
  local j17="|$JAVA17_HOME|jar|" l17="|$JAVA17_HOME|launcher|" j25="|$JAVA25_HOME|jar|" l25="|$JAVA25_HOME|launcher|"
  if [ "${1#*,}" != "$1" ]; then
    local extra=${1#*,}
    runtime_variant "${1%%,*}" | awk -F'|' -v OFS='|' -v x="${extra//,/ }" '{ $1 = $1 " + " x; $4 = $4 " " x; print }'
    return
  fi
  case $1 in
    jar) echo "java -jar$j17|none" ;; # the default run's two: the java on PATH
    launcher) echo "bin/mallgate$l17|$([ "$(java_release "$JAVA17_HOME")" -ge 25 ] && echo aot || echo jsa)" ;;
    17-jar) echo "Java 17, java -jar$j17|none" ;;
    17-nocache) echo "Java 17, bin/mallgate, no cache$l17|none" ;;
    17) echo "Java 17, bin/mallgate, AppCDS archive$l17|jsa" ;;
    17-redis) echo "Java 17, bin/mallgate, AppCDS archive trained on Redis$l17|jsa-redis" ;;
    25-jar) echo "Java 25, java -jar$j25|none" ;;
    25-nocache) echo "Java 25, bin/mallgate, no cache$l25|none" ;;
    25-jsa) echo "Java 25, bin/mallgate, AppCDS archive$l25|jsa" ;;
    25) echo "Java 25, bin/mallgate, AOT cache$l25|aot" ;;
    25-redis) echo "Java 25, bin/mallgate, AOT cache trained on Redis (the image)$l25|aot-redis" ;;
    25-nocoh) echo "Java 25, bin/mallgate, AOT cache, compact headers off$l25-XX:-UseCompactObjectHeaders|aot" ;;
    25-zgc) echo "Java 25, bin/mallgate, AOT cache, generational ZGC$l25-XX:+UseZGC|aot" ;;
    25-safe) echo "Java 25, bin/mallgate, AOT cache, Netty without Unsafe$l25--sun-misc-unsafe-memory-access=warn|aot" ;;
    25-serial) echo "Java 25, bin/mallgate, AOT cache, Serial GC$l25-XX:+UseSerialGC|aot" ;;
    *) echo "unknown runtime variant: $1" >&2; return 1 ;;
  esac
}
variant_label() { runtime_variant "$1" | cut -d'|' -f1; }
cache_of() { # variant: the cache file bin/mallgate is given (none: no cache)
  local kind
  kind=$(runtime_variant "$1" | cut -d'|' -f5)
  # (the JVM takes a comma in the name for a list)
  if [ "$kind" = none ]; then echo none; else echo "$WORK/cache/$(tr -c 'A-Za-z0-9.\n-' _ <<<"$1").${kind%-redis}"; fi
}
make_caches() { # variant...: trains each launcher variant's cache once, before anything is timed
  local v label home how flags kind cache
  mkdir -p "$WORK/cache"
  for v in "$@"; do
    IFS='|' read -r label home how flags kind <<<"$(runtime_variant "$v")"
    cache=$(cache_of "$v")
    [ "$how" = launcher ] && [ "$cache" != none ] && [ ! -f "$cache" ] || continue
    log "start-up cache for '$label' (scripts/aot-cache.sh)"
    JAVA_HOME=$home JAVA_OPTS="$flags $JAVA_OPTS" MALLGATE_TRAIN_STORE=$([ "${kind%-redis}" = "$kind" ] && echo embedded || echo redis) \
      scripts/aot-cache.sh "$JAR" "$cache" 2>"${cache%.*}.log" ||
      { echo "scripts/aot-cache.sh failed:" >&2; cat "${cache%.*}.log" >&2; exit 1; }
  done
}
start_gateway() { # [config file] [runtime variant, default jar]
  local config=${1:-$WORK/gateway.yaml} variant=${2:-jar} label home how flags kind
  IFS='|' read -r label home how flags kind <<<"$(runtime_variant "$variant")"
  if [ "$how" = jar ]; then
    # shellcheck disable=SC2086
    "$home/bin/java" $flags $JAVA_OPTS -jar "$JAR" --config "$config" >>"$GW_LOG" 2>&1 & GW_PID=$!
  else
    JAVA_HOME=$home MALLGATE_JAR=$JAR MALLGATE_CACHE=$(cache_of "$variant") JAVA_OPTS="$flags $JAVA_OPTS" \
      bin/mallgate --config "$config" >>"$GW_LOG" 2>&1 & GW_PID=$!
  fi
  PIDS+=("$GW_PID")
}
stop_gateway() {
  local i
  kill "$GW_PID" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do kill -0 "$GW_PID" 2>/dev/null || break; sleep 0.05; done
  kill -9 "$GW_PID" 2>/dev/null || true
  wait "$GW_PID" 2>/dev/null || true
}
FAR='2099-12-31T00:00:00.000'
token_body() { # mall
  printf '{"access_token":"%s","refresh_token":"r-%s","expires_at":"%s","refresh_token_expires_at":"%s","mall_id":"%s","scopes":["mall.read_product"],"token_type":"bearer"}' \
    "$BEARER" "$1" "$FAR" "$FAR" "$1"
}
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
# Imports MALLS malls' tokens m0..m<MALLS - 1> into the gateway on GW_PORT, then makes one proxied GET per mall (so
# that every token enters its cache): sets IMPORT_OK IMPORT_S RSS_AFTER_IMPORT CACHE_OK CACHE_S RSS_AFTER_CACHE (KiB).
fill_malls() {
  local t0
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
}
# jcmd GC.heap_info's line with the heap's use, whatever the collector (G1: "garbage-first heap total reserved …,
# committed …, used …"; ZGC: "ZHeap used …, capacity …, max capacity …"; Serial: "def new generation total …, used …"
# and "tenured generation total …, used …")
mib() { awk -v k="$1" 'BEGIN { if (k ~ /^[0-9]+$/) printf "%.0f MiB", k / 1024; else print k }'; }
heap_of() { # (Serial: its two generations' lines; not the spaces' "% used", nor Metaspace's)
  jcmd "$1" GC.heap_info 2>/dev/null | awk '/used/ && !/% used/ && !/Metaspace|class space/' |
    sed -e 's/^ *//' -e 's/ *\[0x.*//' -e 's/  */ /g' | paste -sd';' - | sed 's/;/; /g' || true
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
[ "$ONLY" != runtime ] || out "| Java 17 / Java 25 (runtime variants) | $("$JAVA17_HOME/bin/java" -version 2>&1 | sed -n 2p) / $("$JAVA25_HOME/bin/java" -version 2>&1 | sed -n 2p) |"
out "| JVM flags | \`${JAVA_OPTS:-none}\` |"
out "| nginx | $(nginx -v 2>&1 | sed 's/.*: //') |"
out "| redis-server | $(redis-server --version | awk '{print $3}') |"
if [ -z "$ONLY" ]; then
  out "| wrk | $(wrk -v 2>&1 | head -1 | awk '{print $1, $2}') |"
  out "| Vert.x floor | io.mallgate.bench.VertxFloor on the jar's Vert.x $(unzip -p "$JAR" META-INF/vertx/vertx-version.txt 2>/dev/null || echo '?'), $(grep -o 'native transport [a-z]*' "$WORK/vertx.log") |"
  out "| Spring Cloud Gateway | $(unzip -l "$SCG_JAR" | grep -o 'spring-cloud-gateway-server-webflux-[0-9.]*[0-9]' | head -1 | sed 's/.*webflux-//') (Spring Boot $(unzip -l "$SCG_JAR" | grep -o 'spring-boot-[0-9][0-9.]*[0-9]' | head -1 | sed 's/spring-boot-//'), spring-cloud-dependencies $(sed -n 's:.*<spring-cloud.version>\(.*\)</spring-cloud.version>.*:\1:p' bench/scg/pom.xml), Reactor Netty $(unzip -l "$SCG_JAR" | grep -o 'reactor-netty-http-[0-9.]*[0-9]' | head -1 | sed 's/.*http-//'), epoll) |"
fi
out "| gateway commit | $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src pom.xml bin scripts || echo ' (src modified)') |"
out "| settings | ${ONLY:+--only $ONLY }DURATION=$DURATION CONNS=\"$CONNS\" WRK_THREADS=$WRK_THREADS WARMUP=$WARMUP PACE_CONNS=$PACE_CONNS PACE_THREADS=$PACE_THREADS PACE_WARMUP=$PACE_WARMUP RL_MALLS=$RL_MALLS${PACE_RATE:+ PACE_RATE=$PACE_RATE} MALLS=$MALLS STARTUP_RUNS=$STARTUP_RUNS |"
out ""

# ---- 3. start-up --------------------------------------------------------------------------------------------
# Series interleaved so that they share the machine's noise. By default four: Redis and embedded store, each with
# `java -jar` and no flag, and with bin/mallgate as shipped (its heap defaults and start-up cache, an AppCDS archive
# on Java 17). --only runtime: Java 17 and 25, java -jar and bin/mallgate with no cache, an AppCDS archive, an AOT cache.
if [ "$ONLY" = runtime ]; then
  STARTUP_SERIES=()
  for v in 17-jar 17 25-jar 25-nocache 25-jsa 25; do STARTUP_SERIES+=("embedded|$v|$WORK/gateway-embedded.yaml"); done
  for v in 17 17-redis 25 25-redis; do STARTUP_SERIES+=("Redis|$v|$WORK/gateway.yaml"); done
else
  STARTUP_SERIES=(
    "Redis|jar|$WORK/gateway.yaml"
    "Redis|launcher|$WORK/gateway.yaml"
    "embedded|jar|$WORK/gateway-embedded.yaml"
    "embedded|launcher|$WORK/gateway-embedded.yaml"
  )
fi
[ "$STARTUP_RUNS" -eq 0 ] || make_caches $(for series in "${STARTUP_SERIES[@]}"; do echo "$series" | cut -d'|' -f2; done | sort -u)
declare -A STARTUP_MS STARTUP_CPU
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%d", ($14 + $15) * 1000 / hz }' "/proc/$1/stat"; } # user + system, all threads
log "start-up, $STARTUP_RUNS runs of each of ${#STARTUP_SERIES[@]} series"
STARTUP_LOAD=("$(cut -d' ' -f1-3 /proc/loadavg)")
for ((i = 0; i < STARTUP_RUNS; i++)); do
  for series in "${STARTUP_SERIES[@]}"; do
    IFS='|' read -r store variant config <<<"$series"
    t0=$(date +%s%N)
    start_gateway "$config" "$variant"
    wait_http "http://127.0.0.1:$GW_PORT/health/live" 60
    t1=$(date +%s%N)
    cpu=$(cpu_ms "$GW_PID")
    log "start-up, $store, $(variant_label "$variant"): $(((t1 - t0) / 1000000)) ms, CPU $cpu ms (load $(cut -d' ' -f1 /proc/loadavg))"
    STARTUP_MS[$store|$variant]+="$(((t1 - t0) / 1000000)) "
    STARTUP_CPU[$store|$variant]+="$cpu "
    stop_gateway
  done
done
STARTUP_LOAD+=("$(cut -d' ' -f1-3 /proc/loadavg)")
median() { tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2)) }'; }
fmedian() { tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
startup_table() {
  [ "$STARTUP_RUNS" -gt 0 ] || return 0
  out "## Start-up (launch to /health/live answering, curl polled every 10 ms; $STARTUP_RUNS runs of each, interleaved)"
  out ""
  out "Load average before / after the series: ${STARTUP_LOAD[0]} / ${STARTUP_LOAD[1]}."
  out ""
  out "| store | started with | median ms | sorted ms | median CPU ms (user + system, all threads) |"
  out "|---|---|---:|---|---:|"
  local series store variant
  for series in "${STARTUP_SERIES[@]}"; do
    IFS='|' read -r store variant _ <<<"$series"
    out "| $store | $(variant_label "$variant")${JAVA_OPTS:+ + \`$JAVA_OPTS\`} | $(median <<<"${STARTUP_MS[$store|$variant]:-}") |" \
      "$(tr ' ' '\n' <<<"${STARTUP_MS[$store|$variant]:-}" | grep . | sort -n | tr '\n' ' ')| $(median <<<"${STARTUP_CPU[$store|$variant]:-}") |"
  done
  out ""
  out "bin/mallgate's flags: \`$(JAVA_HOME=$JAVA17_HOME MALLGATE_JAR=$JAR MALLGATE_CACHE=none bin/mallgate --print-java-command |
    sed -e 1d -e '/^-jar$/,$d' | tr '\n' ' ' | sed 's/ $//')\` on Java $(java_release "$JAVA17_HOME")$(
    [ "$ONLY" = runtime ] && printf ', `%s` on Java %s' "$(JAVA_HOME=$JAVA25_HOME MALLGATE_JAR=$JAR MALLGATE_CACHE=none \
      bin/mallgate --print-java-command | sed -e 1d -e '/^-jar$/,$d' | tr '\n' ' ' | sed 's/ $//')" "$(java_release "$JAVA25_HOME")");"
  out "caches made by \`scripts/aot-cache.sh\` for this jar through the launcher:$(cd "$WORK/cache" && for f in *.jsa *.aot; do
    [ -f "$f" ] && printf ' %s %s' "$f" "$(du -h "$f" | cut -f1)"; done)."
  out ""
}
if [ "$ONLY" = startup ]; then
  startup_table
  log "written: $RESULTS"
  exit 0
fi
import_bench_mall() { # into the gateway on GW_PORT, then checks that it proxies with the bearer
  local code
  code=$(curl -s -o "$WORK/import.json" -w '%{http_code}' -X PUT -H "Authorization: Bearer $ADMIN_TOKEN" \
    -H 'Content-Type: application/json' --data "$(token_body "$MALL")" "http://127.0.0.1:$GW_PORT/admin/malls/$MALL/token")
  [ "$code" = 200 ] || { echo "token import failed: $code $(cat "$WORK/import.json")" >&2; tail -20 "$GW_LOG" >&2; exit 1; }
  code=$(curl -s -o /dev/null -w '%{http_code}' "$URL_GW")
  [ "$code" = 200 ] || { echo "gateway answers $code on $URL_GW" >&2; tail -20 "$GW_LOG" >&2; exit 1; }
  proxies_right "$URL_GW"
}
open_loop() { # target url: runs OpenLoop at PACE_RATE; sets OL to "achieved p50 p90 p99 p99.9 max errors"
  # in the background and waited for, so that the trap (which kills it) runs at once on INT or TERM; its summary and
  # per-second p50/p99/max (a p50 that climbs second after second: the rate is past what the target sustains) on stderr
  java -cp "$WORK/classes:$JAR" io.mallgate.bench.OpenLoop --url "$2" --rate "$PACE_RATE" --duration "$DURATION" \
    --warmup "$PACE_WARMUP" --conns "$PACE_CONNS" --threads "$PACE_THREADS" --timeline true >"$WORK/openloop.out" 2>"$WORK/openloop-$1.log" &
  PIDS+=($!)
  wait $! || true
  sed 's/^/  /' "$WORK/openloop-$1.log" >&2
  # OPENLOOP target achieved requests errors p50 p90 p99 p99.9 max -> "achieved p50 p90 p99 p99.9 max errors"
  OL=$(awk '/^OPENLOOP/ { print $3, $6, $7, $8, $9, $10, $5 }' "$WORK/openloop.out")
  [ -n "$OL" ] || { echo "open loop against $1 failed:" >&2; cat "$WORK/openloop-$1.log" >&2; exit 1; }
}

# ---- --only runtime: each runtime variant under the same fixed-rate load, then with MALLS malls ----------------
if [ "$ONLY" = runtime ]; then
  RUNTIME_VARIANTS=${RUNTIME_VARIANTS:-"17-jar 17 25-jar 25 25-redis 25-nocoh 25-zgc 25-safe 25,-XX:+UseSerialGC"}
  RUNTIME_ROUNDS=${RUNTIME_ROUNDS:-2}
  # shellcheck disable=SC2086
  [ "$RUNTIME_ROUNDS" -eq 0 ] || make_caches $RUNTIME_VARIANTS
  secs() { awk -v d="$1" 'BEGIN { if (d ~ /ms$/) print d / 1000; else if (d ~ /m$/) print d * 60; else print d + 0 }'; }
  SENT=$(awk -v r="$PACE_RATE" -v w="$(secs "$PACE_WARMUP")" -v d="$(secs "$DURATION")" 'BEGIN { printf "%d", r * (w + d) + 2000 }')
  RT_ROWS=()
  RUNTIME_WRK=${RUNTIME_WRK:-}
  [ -z "$RUNTIME_WRK" ] || command -v wrk >/dev/null || { echo "RUNTIME_WRK needs wrk" >&2; exit 1; }
  declare -A RT_P99 RT_RSS RT_CPU RT_LIVE RT_WRK
  for ((round = 1; round <= RUNTIME_ROUNDS; round++)); do
    for v in $RUNTIME_VARIANTS; do
      load=$(cut -d' ' -f1 /proc/loadavg)
      log "runtime round $round: $(variant_label "$v") (load average $load)"
      : >"$GW_LOG" # the access lines of one variant's run only
      t0=$(date +%s%N)
      start_gateway "$WORK/gateway.yaml" "$v"
      wait_http "http://127.0.0.1:$GW_PORT/health/live" 60
      up=$((($(date +%s%N) - t0) / 1000000))
      import_bench_mall
      cpu0=$(cpu_ms "$GW_PID")
      open_loop "$v" "$URL_GW"
      read -r rps p50 p90 p99 p999 pmax perr <<<"$OL"
      cpu=$(awk -v a="$cpu0" -v b="$(cpu_ms "$GW_PID")" -v n="$SENT" 'BEGIN { printf "%.0f", (b - a) * 1000 / n }')
      rss_load=$(ps -o rss= -p "$GW_PID" | tr -d ' ')
      wrk_rps="—"
      if [ -n "$RUNTIME_WRK" ]; then # closed loop: the throughput of a variant (load: the machine's, see the log)
        wrk_rps=$(wrk -t"$WRK_THREADS" -c"$RUNTIME_WRK" -d"$DURATION" "$URL_GW" 2>&1 | awk '/Requests\/sec:/ { printf "%.0f", $2 }')
        RT_WRK[$v]+="$wrk_rps "
      fi
      RSS_AFTER_CACHE="—"; CACHE_OK=0
      [ "$MALLS" -gt 0 ] && fill_malls
      heap=$(heap_of "$GW_PID")
      # the live objects' bytes (a class histogram collects first): what compact headers shrink
      live=$(jcmd "$GW_PID" GC.class_histogram 2>/dev/null | awk '$1 == "Total" { printf "%.1f MiB", $3 / 1048576 }')
      case $JAVA_OPTS in # a diagnostic run: where the RSS goes, beside the results
        *NativeMemoryTracking=*) jcmd "$GW_PID" VM.native_memory summary >"${RESULTS%.md}-nmt-$v-$round.txt" 2>&1 || true ;;
      esac
      RT_ROWS+=("| $(variant_label "$v") | $round | $up | $rps | $p50 | $p99 | $p999 | $pmax | $perr | $cpu | $wrk_rps | $(mib "$rss_load") | $(mib "$RSS_AFTER_CACHE") ($CACHE_OK × 200) | $heap | ${live:-—} | $load |")
      RT_P99[$v]+="$p99 "; RT_RSS[$v]+="$RSS_AFTER_CACHE "; RT_CPU[$v]+="$cpu "; RT_LIVE[$v]+="${live% MiB} "
      log "  $v: up $up ms, $rps req/s, p99 $p99 ms, p99.9 $p999 ms, CPU $cpu ms per 1,000 requests, RSS $(mib "$rss_load") after the load, $(mib "$RSS_AFTER_CACHE") with $MALLS malls; $heap; live $live"
      stop_gateway
    done
  done
  [ "$RUNTIME_ROUNDS" -eq 0 ] || {
    out "## Runtime variants (issue 16): fixed-rate latency and memory"
    out ""
    out "Each variant in turn, $RUNTIME_ROUNDS rounds: a fresh gateway (Redis store, rate limiting off), started as named and"
    out "timed to /health/live; mall \`$MALL\` imported; OpenLoop at **$PACE_RATE req/s** ($PACE_CONNS connections, $PACE_THREADS event loops,"
    out "a 2,000-request closed-loop prime and $PACE_WARMUP at the rate unmeasured, $DURATION measured; latency from each request's"
    out "intended send time); RSS; then $MALLS malls imported and one proxied GET per mall; RSS and heap; then the live"
    out "objects' bytes (\`jcmd GC.class_histogram\`, after the full collection it makes). \"CPU\" is the"
    out "gateway's CPU (user + system) during the open-loop run per 1,000 requests sent ($SENT sent). Load is the 1-minute"
    out "load average when the variant started. The load generator runs on Java $(java_release "$JAVA17_HOME") in every case.${RUNTIME_WRK:+ \"wrk\":}"
    [ -z "$RUNTIME_WRK" ] || out "after the open loop, \`wrk -t$WRK_THREADS -c$RUNTIME_WRK -d$DURATION\` on the same mall (closed loop: the variant's throughput)."
    out ""
    out "| variant | round | start-up ms | achieved req/s | p50 ms | p99 ms | p99.9 ms | max ms | errors | CPU ms / 1k req | wrk req/s | RSS after the load | RSS with $MALLS malls | heap (jcmd GC.heap_info) | live objects | load |"
    out "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|"
    for row in "${RT_ROWS[@]}"; do out "$row"; done
    out ""
    out "| variant | median p99 ms | median RSS with $MALLS malls | median live objects MiB | median CPU ms / 1k req | median wrk req/s |"
    out "|---|---:|---:|---:|---:|---:|"
    for v in $RUNTIME_VARIANTS; do
      out "| $(variant_label "$v") | $(fmedian <<<"${RT_P99[$v]}") |" \
        "$(mib "$(median <<<"${RT_RSS[$v]}")") | $(fmedian <<<"${RT_LIVE[$v]}") |" \
        "$(median <<<"${RT_CPU[$v]}") | $(median <<<"${RT_WRK[$v]:-}") |"
    done
    out ""
  }
  startup_table
  out "- load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  log "written: $RESULTS"
  exit 0
fi

# ---- the gateway under load ---------------------------------------------------------------------------------
start_gateway
wait_http "http://127.0.0.1:$GW_PORT/health/live" 60
import_bench_mall


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

declare -A R LOAD CPU RUNS CPU_MS REQS REDIS_N REDIS_CALLS
REDIS_ROWS=()
pid_of() { # target: the JVM under test (none for direct and nginx)
  case $1 in vertx) echo "$VF_PID" ;; scg) echo "$SCG_PID" ;; mallgate) echo "$GW_PID" ;; mallgate-rl) echo "$RL_PID" ;; esac
}
# WRK_ROUNDS rounds of every target at every connection count, in turn: a slow minute on these shared cores then
# costs every target alike, where one run each measured each target in a different minute (±20 % apart). Each
# figure is the round with the median req/s; CPU per request is summed over all rounds.
for round in $(seq "$WRK_ROUNDS"); do
  for c in $CONNS; do
    for target in $TARGETS; do
      LOAD[$target.$c]="${LOAD[$target.$c]:+${LOAD[$target.$c]} }$(loadavg)"
      log "round $round/$WRK_ROUNDS: wrk -c$c $target (load average $(loadavg))"
      before=$(redis_calls)
      pid=$(pid_of $target); cpu0=$([ -z "$pid" ] || cpu_ms "$pid")
      result=$(run_wrk "$(url_of $target)" "$c" "$DURATION")
      after=$(redis_calls)
      RUNS[$target.$c]="${RUNS[$target.$c]:-}$result"$'\n'
      n=$(echo "$result" | awk '{print $2}')
      REQS[$target.$c]=$(( ${REQS[$target.$c]:-0} + n ))
      # CPU of the process under test (user + system, all its threads): steadier than req/s on shared cores, and
      # what sets the throughput when wrk, the upstream and the proxy share them
      [ -z "$pid" ] || CPU_MS[$target.$c]=$(( ${CPU_MS[$target.$c]:-0} + $(cpu_ms "$pid") - cpu0 ))
      REDIS_CALLS[$target.$c]=$(( ${REDIS_CALLS[$target.$c]:-0} + after - before ))
    done
  done
done
for c in $CONNS; do
  for target in $TARGETS; do
    # the round with the median req/s (its latency figures with it)
    R[$target.$c]=$(printf '%s' "${RUNS[$target.$c]}" | sort -n -k1,1 | awk '{ line[NR] = $0 } END { print line[int((NR + 1) / 2)] }')
    CPU[$target.$c]=$([ -z "$(pid_of $target)" ] && echo "—" || awk -v ms="${CPU_MS[$target.$c]}" -v n="${REQS[$target.$c]}" \
      'BEGIN { printf "%.1f", (n > 0 ? ms * 1000 / n : 0) }')
    if [ "${target%-rl}" = mallgate ]; then
      n=${REQS[$target.$c]}
      REDIS_ROWS+=("| $c | $target | $n | ${REDIS_CALLS[$target.$c]} | $(awk -v a="${REDIS_CALLS[$target.$c]}" -v n="$n" 'BEGIN { printf "%.5f", (n > 0 ? a / n : 0) }') |")
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
# Spring Cloud Gateway last: at a rate it cannot keep up with it falls behind by seconds and keeps working off that
# backlog after its run, on the same cores as the next target (run 20261207T165533Z: Mallgate, measured after it,
# answered with a p50 of 0.4-1 s for the first 6 s of its warm-up).
for target in direct nginx vertx mallgate scg; do
  url=$(url_of $target)
  log "open loop: $target, $PACE_RATE req/s, $PACE_CONNS connections, $PACE_THREADS event loop(s), $PACE_WARMUP + $DURATION"
  open_loop "$target" "$url"
  P[$target]=$OL
done
RSS_AFTER_LOAD=$(ps -o rss= -p "$GW_PID" | tr -d ' ')
HEAP_AFTER_LOAD=$(heap_of "$GW_PID")
REDIS_BREAKDOWN=$(redis-cli -p "$REDIS_PORT" info commandstats | tr -d '\r' |
  awk -F'[:,=]' '/^cmdstat_/ && $1 != "cmdstat_info" { sub("cmdstat_", "", $1); printf "%s=%s ", $1, $3 }')

# ---- 1. throughput and latency table ------------------------------------------------------------------------
out "## Throughput and latency (wrk -t$WRK_THREADS, $DURATION per run, $WRK_ROUNDS rounds, GET of an 84-byte JSON body)"
out ""
out "Every target ran once per round at every connection count, in turn; each row is its round with the median req/s"
out "(the latencies are that round's), its CPU per request summed over all rounds, its errors summed too."
out "Load average (1 min) before the wrk runs: $LOAD_BEFORE_WRK; each row's, per round, is in its \"load\" column."
out "mallgate-rl is Mallgate with the shipped defaults (rate limiting on), its load spread over $RL_MALLS malls"
out "(bench/malls.lua)."
out ""
out "| conns | target | req/s | vs nginx | vs Vert.x floor | CPU µs / request | p50 ms | p75 ms | p90 ms | p99 ms | added p50 / p99 over direct, ms | errors | load |"
out "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
rps_of() { echo "${R[$1]}" | awk '{ print $1 }'; }
for c in $CONNS; do
  read -r _ _ _ dp50 _ _ dp99 <<<"${R[direct.$c]}"
  for target in $TARGETS; do
    read -r rps _ _ p50 p75 p90 p99 <<<"${R[$target.$c]}"
    err=$(printf '%s' "${RUNS[$target.$c]}" | awk '{ e += $3 } END { print e + 0 }')
    added=$(awk -v a="$p50" -v b="$dp50" -v c="$p99" -v d="$dp99" 'BEGIN { printf "%+.3f / %+.3f", a - b, c - d }')
    [ $target = direct ] && added="—"
    out "| $c | $target | $(printf '%.0f' "$rps") | $(ratio "$rps" "$(rps_of nginx.$c)") | $(ratio "$rps" "$(rps_of vertx.$c)") |" \
      "${CPU[$target.$c]} | $p50 | $p75 | $p90 | $p99 | $added | $err | ${LOAD[$target.$c]} |"
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
out "Rate limiting on, **one mall** (Cafe24 is called at most as its budget allows: a burst of \`rateLimit.capacity\` 40 paced"
out "at \`maxPerSecond\` 9/s, then \`perSecond\` 2/s; and, as shipped, \`proxy.coalesce\` on: wrk's 16 identical GETs in flight share"
out "each call, so callers get more answers than Cafe24 gets calls), wrk -c16 --timeout 15s, $DURATION: **$rps req/s** ($n answers,"
out "$err errors or non-2xx), p50 $p50 ms, p99 $p99 ms."
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
[ "$MALLS" -gt 0 ] && fill_malls
HEAP_AFTER_CACHE=$(heap_of "$GW_PID")

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
