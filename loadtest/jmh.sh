#!/usr/bin/env bash
# JMH microbenchmarks of the command codec and the apply path (src/test/java/io/ordinal/bench).
#   loadtest/jmh.sh                      # all of them
#   loadtest/jmh.sh ApplyBenchmark -f 1  # any JMH options
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${JAVA_HOME:-}" ]; then JAVA="$JAVA_HOME/bin/java"; else JAVA=java; fi
./mvnw -B -q -ntp test-compile
./mvnw -B -q -ntp dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/jmh.classpath > /dev/null
exec "$JAVA" -cp "target/test-classes:target/classes:$(cat target/jmh.classpath)" org.openjdk.jmh.Main "$@"
