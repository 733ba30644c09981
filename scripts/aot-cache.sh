#!/usr/bin/env bash
# Writes the start-up cache of a Mallgate jar for bin/mallgate: on Java 25 and later an AOT cache (JEP 483/514/515:
# classes loaded and linked, lambda forms and method profiles of a training run), before 25 an AppCDS archive (the
# classes parsed and verified). The JVM maps it instead of reading ~5,000 classes out of the jar and the JDK: on this
# 2-core machine the start to a live port went from 2.2-3.6 s to 0.7-1.2 s with the AOT cache (docs/benchmarks.md,
# "Java 25").
#
#   scripts/aot-cache.sh [JAR] [CACHE]     # defaults: target/mallgate.jar; bin/mallgate's MALLGATE_CACHE default,
#                                          # the jar's name with .aot on Java 25+, .jsa before
#   bin/mallgate ...                       # uses it when it is beside the jar and newer (or MALLGATE_CACHE=CACHE)
#
# How: one training run through bin/mallgate with MALLGATE_CACHE_WRITE=1, so with exactly the JVM flags the gateway
# will run with (a JVM refuses a cache made with other headers, GC or compressed pointers): `--sandbox` on 127.0.0.1
# and a port the system picks, with the embedded store in a temporary directory (MALLGATE_TRAIN_STORE=redis: a
# private redis-server instead, see below). It serves a few requests (health, metrics, the admin API, proxied calls
# to the in-process simulated Cafe24, the start of an OAuth install, a refused request), so that the request paths'
# classes and profiles are cached too, then gets SIGTERM; the JVM writes the cache as it exits (an AOT cache in a
# second JVM it starts for that, a few seconds). Nothing outside the temporary
# directory and CACHE is written; no network beyond loopback. The classes of the store not trained on (Redis by
# default) load from the jar as before. JAVA_HOME picks the java, JAVA_OPTS, JDK_JAVA_OPTIONS and MALLGATE_HEAP work
# as for bin/mallgate (and must then be the same when the cache is used).
#
# The cache is valid only for the exact JVM build and the exact jar file (path, size and modification time), and for
# the same object layout (compact headers, compressed pointers: a heap under 32 GiB, the GC): make a new one after
# every build or JDK update. A JVM given a stale or foreign cache says so in a [warning][aot] or [warning][cds] line
# and starts without it (slower, nothing else changes); bin/mallgate skips a cache older than its jar.
# Needs java 17+ and curl (and redis-server for MALLGATE_TRAIN_STORE=redis).
set -euo pipefail

LAUNCHER=$(cd "$(dirname "$0")/.." && pwd)/bin/mallgate
JAR=${1:-target/mallgate.jar}
[ -f "$JAR" ] || { echo "no jar at $JAR (build it: mvn -B -q package -DskipTests)" >&2; exit 1; }
command -v curl >/dev/null || { echo "curl is needed" >&2; exit 1; }
[ -x "$LAUNCHER" ] || { echo "no launcher at $LAUNCHER" >&2; exit 1; }
JAR=$(cd "$(dirname "$JAR")" && pwd)/$(basename "$JAR")
# The launcher's own default (it knows the java's release) unless one is named.
ARCHIVE=${2:-$(MALLGATE_JAR=$JAR MALLGATE_CACHE_WRITE=1 MALLGATE_CACHE= "$LAUNCHER" --print-java-command |
  sed -n 's/^-XX:\(AOTCacheOutput\|ArchiveClassesAtExit\)=//p')}
[ -n "$ARCHIVE" ] || { echo "the launcher names no cache to write" >&2; exit 1; }
case $ARCHIVE in /*) ;; *) ARCHIVE=$PWD/$ARCHIVE ;; esac

WORK=$(mktemp -d "${TMPDIR:-/tmp}/mallgate-aot.XXXXXX")
PID=
REDIS_PID=
cleanup() {
  [ -n "$PID" ] && kill -9 "$PID" 2>/dev/null || true
  [ -n "$REDIS_PID" ] && kill -9 "$REDIS_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

ADMIN_TOKEN="aot-$(head -c16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
cat >"$WORK/gateway.yaml" <<EOF
server:
  host: 127.0.0.1
  port: 0
admin:
  token: "$ADMIN_TOKEN"
EOF
# MALLGATE_TRAIN_STORE=redis: the training runs on the Redis store, a private redis-server (from PATH; no
# persistence, a free port, removed with the rest), so that the Redis client's classes and code paths are cached;
# else on the embedded store. Each store starts about a quarter cheaper (CPU) from a cache trained on it.
case ${MALLGATE_TRAIN_STORE:-embedded} in
  embedded) ;;
  redis)
    command -v redis-server >/dev/null || { echo "MALLGATE_TRAIN_STORE=redis needs redis-server on PATH" >&2; exit 1; }
    for port in $(shuf -i 20000-60000 -n 10); do
      redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$WORK" \
        --logfile "$WORK/redis.log" &
      REDIS_PID=$!
      for _ in $(seq 50); do
        grep -q 'Ready to accept connections' "$WORK/redis.log" 2>/dev/null && break
        kill -0 "$REDIS_PID" 2>/dev/null || break
        sleep 0.1
      done
      if kill -0 "$REDIS_PID" 2>/dev/null && grep -q 'Ready to accept connections' "$WORK/redis.log"; then
        printf 'redis:\n  url: "redis://127.0.0.1:%s"\n' "$port" >>"$WORK/gateway.yaml"
        break
      fi
      kill -9 "$REDIS_PID" 2>/dev/null || true
      REDIS_PID=
      rm -f "$WORK/redis.log"
    done
    [ -n "$REDIS_PID" ] || { echo "could not start redis-server for the training" >&2; exit 1; }
    ;;
  *) echo "MALLGATE_TRAIN_STORE is embedded or redis, not ${MALLGATE_TRAIN_STORE}" >&2; exit 1 ;;
esac

rm -f "$ARCHIVE"
# The working directory is the temporary one, and so is java.io.tmpdir, where --sandbox keeps its store (JAVA_OPTS
# comes after the launcher's defaults; the same flag in the runs that use the cache changes nothing the JVM checks).
(cd "$WORK" && MALLGATE_JAR=$JAR MALLGATE_CACHE=$ARCHIVE MALLGATE_CACHE_WRITE=1 \
  JAVA_OPTS="${JAVA_OPTS:-} -Djava.io.tmpdir=$WORK" exec "$LAUNCHER" --sandbox --config "$WORK/gateway.yaml") \
  >"$WORK/training.log" 2>&1 &
PID=$!

PORT=
for _ in $(seq 600); do
  PORT=$(sed -n 's/.*Mallgate listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$WORK/training.log" | head -1)
  [ -n "$PORT" ] && break
  kill -0 "$PID" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$PORT" ]; then
  echo "the training run did not start; its output:" >&2
  cat "$WORK/training.log" >&2
  exit 1
fi

BASE="http://127.0.0.1:$PORT"
# The sandbox installs mall 'demo' just after it listens: wait for its first proxied 200.
for _ in $(seq 100); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/malls/demo/api/v2/admin/products")" = 200 ] && break
  sleep 0.1
done
# Each path twice: the answers do not matter, running the code does.
call() { curl -s -o /dev/null --max-time 10 "$@" || true; }
for _ in 1 2; do
  call "$BASE/health/live"
  call "$BASE/health/ready"
  call "$BASE/metrics"
  call "$BASE/malls/demo/api/v2/admin/products?limit=1"
  call -X POST -H 'Content-Type: application/json' --data '{"request":{"product_name":"aot"}}' \
    "$BASE/malls/demo/api/v2/admin/products"
  call "$BASE/malls/Not.A.Mall/api/v2/admin/products"
  call -H "Authorization: Bearer $ADMIN_TOKEN" "$BASE/admin/malls"
  call -H "Authorization: Bearer $ADMIN_TOKEN" "$BASE/admin/malls/demo"
  call "$BASE/admin/malls"
  call "$BASE/oauth/install?mall_id=aotmall"
done

kill -TERM "$PID"
status=0
wait "$PID" || status=$?
PID=
if [ -n "$REDIS_PID" ]; then
  kill "$REDIS_PID" 2>/dev/null || true
  wait "$REDIS_PID" 2>/dev/null || true
  REDIS_PID=
fi
if [ "$status" != 0 ] || [ ! -s "$ARCHIVE" ]; then
  echo "the training run exited $status without writing $ARCHIVE; its output:" >&2
  cat "$WORK/training.log" >&2
  exit 1
fi
echo "wrote $ARCHIVE ($(du -h "$ARCHIVE" | cut -f1)); bin/mallgate uses it (MALLGATE_JAR=$JAR MALLGATE_CACHE=$ARCHIVE)" >&2
