#!/usr/bin/env bash
# JMH micro-benchmarks of the per-request pieces (issue 7): mall id and path checks, header rewrite, token lookup,
# request id, access line. CI does not run them. See "Micro-benchmarks (JMH)" in docs/benchmarks.md.
#
#   bench/jmh.sh                             # every benchmark, about 4 minutes (the defaults below)
#   bench/jmh.sh HeaderRewrite TokenLookup   # only benchmarks whose names match these regexes
#   JMH_OPTS="-f 3 -wi 10 -w 2s -i 10 -r 1s -prof gc" bench/jmh.sh   # a longer, steadier run
#   bench/jmh.sh -lp                         # list the benchmarks and their parameters (any JMH option passes through)
#
# Knobs (environment): JMH_OPTS, default "-f 1 -wi 5 -w 2s -i 5 -r 1s -prof gc -prof io.mallgate.bench.ThreadCpuProfiler"
# (1 fork, 5 × 2 s warm-up: on a loaded machine the JIT needs that long; 5 × 1 s measured; bytes allocated and CPU
# time per operation beside the wall-clock score); RESULTS (bench/results/jmh-<utc stamp>.json, JMH's JSON).
# Needs Java 17 and Maven. Builds the test classes (the benchmarks are *Benchmark classes under src/test/java, and
# JMH's annotation processor writes their stubs during test-compile), then runs org.openjdk.jmh.Main on the test
# class path. The forks log through bench/logback-jmh.xml (warnings only).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
JMH_OPTS=${JMH_OPTS:-"-f 1 -wi 5 -w 2s -i 5 -r 1s -prof gc -prof io.mallgate.bench.ThreadCpuProfiler"}
RESULTS=${RESULTS:-bench/results/jmh-$(date -u +%Y%m%dT%H%M%SZ).json}
CLASSPATH_FILE=target/jmh.classpath

mvn -B -q test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$CLASSPATH_FILE"
if [[ ! -f target/test-classes/META-INF/BenchmarkList ]]; then
  echo "target/test-classes/META-INF/BenchmarkList is missing: JMH's annotation processor did not run" >&2
  echo "(a JDK 23 or newer runs no processor found on the class path unless javac is given -proc:full)" >&2
  exit 1
fi
mkdir -p "$(dirname "$RESULTS")"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
# shellcheck disable=SC2086 # JMH_OPTS is a list of options
java -Dlogback.configurationFile="$ROOT/bench/logback-jmh.xml" \
  -cp "target/test-classes:target/classes:$(cat "$CLASSPATH_FILE")" \
  org.openjdk.jmh.Main $JMH_OPTS -rf json -rff "$RESULTS" "$@"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "JMH results (JSON): $RESULTS"
