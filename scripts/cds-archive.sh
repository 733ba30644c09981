#!/usr/bin/env bash
# Writes an AppCDS archive for a Mallgate jar: a class-data sharing file from which the JVM maps the gateway's
# classes already parsed and verified instead of reading them out of the jar, which roughly halves the start-up time
# (docs/benchmarks.md, "Start-up").
#
#   scripts/cds-archive.sh [JAR] [ARCHIVE]       # defaults: target/mallgate.jar, the jar's name with .jsa
#   java -XX:SharedArchiveFile=target/mallgate.jsa -jar target/mallgate.jar ...
#
# How: one training run, `java -XX:ArchiveClassesAtExit=ARCHIVE -jar JAR --sandbox` (JDK 17's dynamic archive),
# on 127.0.0.1 and a port the system picks, with the embedded store in a temporary directory. It serves a few
# requests (health, metrics, the admin API, proxied calls to the in-process simulated Cafe24, the start of an OAuth
# install, a refused request), so that the request paths' classes are archived too, then gets SIGTERM; the JVM
# writes the archive as it exits. Nothing outside the temporary directory is written; no network beyond loopback.
# The Redis client's connection classes are not archived (no Redis is used): they load from the jar as before.
# JVM flags for the training run come from JDK_JAVA_OPTIONS, as for any java launch.
#
# The archive is valid only for the exact JVM build and the exact jar file (path, size and modification time), and
# for a heap of the same kind (compressed object pointers, i.e. under 32 GiB): make a new one after every build or
# JDK update. A JVM given a stale archive says so in a [warning][cds] line and starts without it (slower, nothing
# else changes); one whose heap is 32 GiB or more ignores it silently. A JVM pointed at a path where there is no file
# starts with no class sharing at all, slower than with no flag: never name an archive that may not exist.
# Needs java 17+ and curl.
set -euo pipefail

JAR=${1:-target/mallgate.jar}
ARCHIVE=${2:-${JAR%.jar}.jsa}
[ -f "$JAR" ] || { echo "no jar at $JAR (build it: mvn -B -q package -DskipTests)" >&2; exit 1; }
command -v curl >/dev/null || { echo "curl is needed" >&2; exit 1; }
JAR=$(cd "$(dirname "$JAR")" && pwd)/$(basename "$JAR")
case $ARCHIVE in /*) ;; *) ARCHIVE=$PWD/$ARCHIVE ;; esac

WORK=$(mktemp -d "${TMPDIR:-/tmp}/mallgate-cds.XXXXXX")
PID=
cleanup() {
  [ -n "$PID" ] && kill -9 "$PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

ADMIN_TOKEN="cds-$(head -c16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
cat >"$WORK/gateway.yaml" <<EOF
server:
  host: 127.0.0.1
  port: 0
admin:
  token: "$ADMIN_TOKEN"
EOF

rm -f "$ARCHIVE"
# The working directory is the temporary one, and so is java.io.tmpdir, where --sandbox keeps its store.
# -Xmx256m: a heap under 32 GiB, so that the training uses compressed object pointers as every gateway with a heap of
# a normal size does (a JVM whose setting differs does not use the archive; JDK_JAVA_OPTIONS comes before it, so a
# -Xmx there gives way). java.io.tmpdir in the temporary directory, so that nothing is left behind.
(cd "$WORK" && exec java -Xmx256m -Djava.io.tmpdir="$WORK" -XX:ArchiveClassesAtExit="$ARCHIVE" -jar "$JAR" \
  --sandbox --config "$WORK/gateway.yaml") >"$WORK/training.log" 2>&1 &
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
  call -X POST -H 'Content-Type: application/json' --data '{"request":{"product_name":"cds"}}' \
    "$BASE/malls/demo/api/v2/admin/products"
  call "$BASE/malls/Not.A.Mall/api/v2/admin/products"
  call -H "Authorization: Bearer $ADMIN_TOKEN" "$BASE/admin/malls"
  call -H "Authorization: Bearer $ADMIN_TOKEN" "$BASE/admin/malls/demo"
  call "$BASE/admin/malls"
  call "$BASE/oauth/install?mall_id=cdsmall"
done

kill -TERM "$PID"
status=0
wait "$PID" || status=$?
PID=
if [ "$status" != 0 ] || [ ! -s "$ARCHIVE" ]; then
  echo "the training run exited $status without writing $ARCHIVE; its output:" >&2
  cat "$WORK/training.log" >&2
  exit 1
fi
echo "wrote $ARCHIVE ($(du -h "$ARCHIVE" | cut -f1)); start with: java -XX:SharedArchiveFile=$ARCHIVE -jar $JAR ..." >&2
