#!/usr/bin/env bash
# Two builds (or two settings) of the gateway against the Vert.x floor, in one run: is a change worth its lines?
#
#   bench/ab.sh A.jar B.jar            # each a gateway jar (e.g. one built from main, one from your branch)
#   B_OPTS=-Dfoo=1 bench/ab.sh A.jar   # one jar twice, B with other JVM flags
#
# On these shared 2-core machines one 10 s wrk run per target moves by ±20 % from minute to minute, far more than
# most changes are worth; so the three targets (floor, A, B) take turns in short rounds, many times over, and the
# figure is each one's CPU per request summed over all its rounds (user + system of its process, /proc): a slow
# minute costs every target alike. Prints one line per round, then the totals and B against A. CI does not run it.
#
# With RATES set, the same targets and the upstream itself ("direct") are compared by their latency instead: each in
# turn takes an open-loop load (src/test/java/io/mallgate/bench/OpenLoop.java: a fixed rate, each latency from the
# request's intended send time) at each rate, OL_ROUNDS times over; one line per run, then per rate and target the
# median p50 / p99 / p99.9 and the median of each round's p99 added over direct's:
#
#   RATES="12000 18000" bench/ab.sh A.jar     # the tails of the floor and the gateway at two rates
#
# Knobs: ROUNDS=12 (turns), ROUND=4s (wrk per turn), CONNS=64, WARMUP=40s (each JVM, once: C2 is still compiling the gateway after 20 s), A_OPTS, B_OPTS (JVM
# flags), EXTRA_YAML (appended to both gateways' config, e.g. "metrics: {enabled: false}"), A_YAML, B_YAML (to one
# only: what a feature costs, e.g. B_YAML="accessLog: {output: off}" with one jar). Open loop: RATES, OL_ROUNDS=3,
# OL_WARMUP=5s and OL_DURATION=15s per run, OL_CONNS=32 over OL_THREADS=2 event loops of the generator.
# Setup as bench/run.sh: nginx upstream answering a fixed 84-byte JSON body, a private Redis, one mall with a
# far-future token, rate limiting and coalescing off. Needs java 17 (with javac), wrk, nginx, redis-server, curl.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
[ $# -ge 1 ] || { echo "usage: bench/ab.sh A.jar [B.jar]" >&2; exit 2; }
A_JAR=$(readlink -f "$1")
B_JAR=$(readlink -f "${2:-$1}")
ROUNDS=${ROUNDS:-12}
ROUND=${ROUND:-4s}
CONNS=${CONNS:-64}
WARMUP=${WARMUP:-40s}
A_OPTS=${A_OPTS:-}
B_OPTS=${B_OPTS:-}

. bench/lib.sh
bench_init ab java javac wrk nginx redis-server curl python3
mkdir -p "$WORK/classes"
javac -nowarn -d "$WORK/classes" -cp "$A_JAR" src/test/java/io/mallgate/bench/VertxFloor.java \
  src/test/java/io/mallgate/bench/OpenLoop*.java 2>/dev/null || { echo "compiling VertxFloor, OpenLoop failed" >&2; exit 1; }

UP_PORT=$(free_port); REDIS_PORT=$(free_port); VF_PORT=$(free_port)
ADMIN_TOKEN="admin-$(head -c16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
TOKEN_KEY="k1:$(head -c32 /dev/urandom | base64)"
BODY='{"products":[{"shop_no":1,"product_no":7,"product_name":"bench","price":"1000.00"}]}'
mkdir -p "$WORK/upstream/tmp"
cat >"$WORK/upstream/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $WORK/upstream/nginx.pid;
error_log $WORK/upstream/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $WORK/upstream/tmp/body;
  proxy_temp_path $WORK/upstream/tmp/proxy;
  fastcgi_temp_path $WORK/upstream/tmp/fastcgi;
  uwsgi_temp_path $WORK/upstream/tmp/uwsgi;
  scgi_temp_path $WORK/upstream/tmp/scgi;
  keepalive_requests 1000000;
  server { listen 127.0.0.1:$UP_PORT; location / { default_type application/json; return 200 '$BODY'; } }
}
EOF
nginx -p "$WORK/upstream" -c "$WORK/upstream/nginx.conf" & PIDS+=($!)
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$WORK" \
  --logfile "$WORK/redis.log" & PIDS+=($!)
java -cp "$WORK/classes:$A_JAR" io.mallgate.bench.VertxFloor "$VF_PORT" "$UP_PORT" /malls/bench/ /bench/ bench-token \
  >"$WORK/floor.log" 2>&1 & PIDS+=($!)
declare -A PID URL
PID[floor]=$!
URL[floor]="http://127.0.0.1:$VF_PORT/malls/bench/api/v2/admin/products"

start_gateway() { # name jar flags yaml
  local port
  port=$(free_port)
  cat >"$WORK/$1.yaml" <<EOF
server: {host: 127.0.0.1, port: $port}
redis: {url: "redis://127.0.0.1:$REDIS_PORT"}
cafe24: {baseUrl: "http://127.0.0.1:$UP_PORT/{mall}", allowInsecure: true, clientId: bench-client,
  clientSecret: bench-secret-not-used, redirectUri: "http://127.0.0.1:$port/oauth/callback"}
admin: {token: "$ADMIN_TOKEN"}
store: {file: $WORK/$1.db}
proxy: {maxConcurrentPerMall: 4096, maxConcurrent: 4096, coalesce: false}
tokens: {encryptionKeys: ["$TOKEN_KEY"]}
rateLimit: {enabled: false}
${EXTRA_YAML:-}
$4
EOF
  # shellcheck disable=SC2086
  java $3 -jar "$2" --config "$WORK/$1.yaml" >"$WORK/$1.log" 2>&1 & PIDS+=($!)
  PID[$1]=$!
  URL[$1]="http://127.0.0.1:$port/malls/bench/api/v2/admin/products"
  wait_http "http://127.0.0.1:$port/health/live" 60 || { tail -20 "$WORK/$1.log" >&2; exit 1; }
}
start_gateway A "$A_JAR" "$A_OPTS" "${A_YAML:-}"
start_gateway B "$B_JAR" "$B_OPTS" "${B_YAML:-}"
wait_http "${URL[floor]}" 60
# One import: both gateways read the token from the same Redis.
code=$(curl -s -o "$WORK/import.json" -w '%{http_code}' -X PUT -H "Authorization: Bearer $ADMIN_TOKEN" \
  -H 'Content-Type: application/json' --data '{"access_token":"at-bench-0123456789","refresh_token":"rt-bench-0123456789",
  "expires_at":"2099-12-31T00:00:00.000","refresh_token_expires_at":"2099-12-31T00:00:00.000"}' \
  "${URL[A]%/malls/*}/admin/malls/bench/token")
[ "$code" = 200 ] || { echo "token import failed: $code $(cat "$WORK/import.json")" >&2; exit 1; }
for target in floor A B; do
  [ "$(curl -s "${URL[$target]}")" = "$BODY" ] || { echo "$target does not answer the upstream's body" >&2; exit 1; }
done

cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%d", ($14 + $15) * 1000 / hz }' "/proc/$1/stat"; }
log "warm-up: $WARMUP each at 64 connections"
for target in floor A B; do wrk -t2 -c64 -d"$WARMUP" "${URL[$target]}" >/dev/null; done
if [ -n "${RATES:-}" ]; then
  URL[direct]="http://127.0.0.1:$UP_PORT/bench/api/v2/admin/products"
  log "open loop: rates $RATES, ${OL_ROUNDS:-3} rounds, ${OL_WARMUP:-5s} + ${OL_DURATION:-15s} per run, ${OL_CONNS:-32} connections"
  for round in $(seq "${OL_ROUNDS:-3}"); do
    for rate in $RATES; do
      for target in direct floor A B; do
        # OPENLOOP target achieved requests errors p50 p90 p99 p99.9 max (ms)
        java -cp "$WORK/classes:$A_JAR" io.mallgate.bench.OpenLoop --url "${URL[$target]}" --rate "$rate" \
          --duration "${OL_DURATION:-15s}" --warmup "${OL_WARMUP:-5s}" --conns "${OL_CONNS:-32}" \
          --threads "${OL_THREADS:-2}" >"$WORK/openloop.out" 2>"$WORK/openloop.log" ||
          { cat "$WORK/openloop.log" >&2; exit 1; }
        awk -v t="$target" -v r="$round" '/^OPENLOOP/ {
          printf "rate %d round %d target %s achieved %s errors %s p50 %s p90 %s p99 %s p99.9 %s max %s\n",
            $2, r, t, $3, $5, $6, $7, $8, $9, $10 }' "$WORK/openloop.out" | tee -a "$WORK/tails"
      done
    done
  done
  python3 - "$WORK/tails" <<'EOF'
import sys, statistics
runs = {}
for line in open(sys.argv[1]):
    f = line.split()
    v = dict(zip(f[0::2], f[1::2]))
    runs[(int(v["rate"]), v["round"], v["target"])] = v
print()
print("| rate req/s | target | p50 ms | p99 ms | p99.9 ms | added p99 over direct, ms (median of rounds) | errors |")
print("|---:|---|---:|---:|---:|---:|---:|")
for rate in sorted({k[0] for k in runs}):
    rounds = sorted({k[1] for k in runs if k[0] == rate})
    for t in ("direct", "floor", "A", "B"):
        seen = [runs[(rate, r, t)] for r in rounds]
        med = {key: statistics.median(float(v[key]) for v in seen) for key in ("p50", "p99", "p99.9")}
        added = statistics.median(float(runs[(rate, r, t)]["p99"]) - float(runs[(rate, r, "direct")]["p99"])
                                  for r in rounds)
        shown = "—" if t == "direct" else "%+.3f" % added
        print("| %d | %s | %.3f | %.3f | %.3f | %s | %d |" % (rate, t, med["p50"], med["p99"], med["p99.9"], shown,
                                                          sum(int(v["errors"]) for v in seen)))
EOF
  exit 0
fi
log "$ROUNDS rounds of $ROUND each, -c$CONNS (A: $A_JAR $A_OPTS ${A_YAML:-}; B: $B_JAR $B_OPTS ${B_YAML:-})"
for round in $(seq "$ROUNDS"); do
  for target in floor A B; do
    before=$(cpu_ms "${PID[$target]}")
    wrk -t2 -c"$CONNS" -d"$ROUND" "${URL[$target]}" >"$WORK/wrk.out" 2>&1
    after=$(cpu_ms "${PID[$target]}")
    awk -v t="$target" -v r="$round" -v cpu=$((after - before)) '
      / requests in / { n = $1 } /Requests\/sec:/ { rps = $2 } /Non-2xx|Socket errors/ { bad = 1 }
      END { printf "round %d %-5s %8.0f req/s %7.1f µs/request requests %d cpu_ms %d%s\n", r, t, rps,
              (n > 0 ? cpu * 1000 / n : 0), n, cpu, (bad ? " (errors)" : "") }' "$WORK/wrk.out" | tee -a "$WORK/rounds"
  done
done
python3 - "$WORK/rounds" <<'EOF'
import sys, statistics, collections
requests, cpu, rps = collections.Counter(), collections.Counter(), collections.defaultdict(list)
for line in open(sys.argv[1]):
    f = line.split()
    t = f[2]
    requests[t] += int(f[f.index("requests") + 1]); cpu[t] += int(f[f.index("cpu_ms") + 1]); rps[t].append(float(f[3]))
us = {t: cpu[t] * 1000 / requests[t] for t in requests}
print()
print("| target | CPU µs / request (all rounds) | median req/s | vs floor (req/s) |")
print("|---|---:|---:|---:|")
for t in ("floor", "A", "B"):
    m = statistics.median(rps[t])
    print(f"| {t} | {us[t]:.1f} | {m:.0f} | {m / statistics.median(rps['floor']):.2f} |")
print()
print(f"B against A: {100 * (us['B'] - us['A']) / us['A']:+.1f} % CPU per request")
EOF
