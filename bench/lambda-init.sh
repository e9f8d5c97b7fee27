#!/usr/bin/env bash
# Lambda-style initialisation of the functions' aws jar in a fresh JVM, as the Lambda runtime does it
# before SnapStart: construct the handler (FunctionInvoker starts Spring), serve one API Gateway HTTP
# API event (GET /api/v1/health/ready, which reaches Redis). Median of RUNS (5) runs, without and
# with a JDK 25 AOT cache made by a training run. Needs the machine's Redis on 127.0.0.1:6379.
# The one event touches no limit (no registration, login or key operation), so Redis state left by
# other runs does not matter. Each JVM runs in the foreground, for at most RUN_TIMEOUT seconds.
#
#   bench/lambda-init.sh                                   # build, 5 runs each
#   REBUILD=0 JAR=/path/to/kvstore-functions-aws.jar RUNS=1 bench/lambda-init.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
JAVA_HOME="${JAVA_HOME_25:-/usr/lib/jvm/temurin-25-jdk-amd64}"
RUNS="${RUNS:-5}"
REBUILD="${REBUILD:-1}"                 # 0: use the aws jar as it is
RUN_TIMEOUT="${RUN_TIMEOUT:-300}"
WORK="$(mktemp -d /tmp/lambda-init.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT

if [[ "$REBUILD" == 1 ]]; then
	(cd "$ROOT" && ./mvnw -B -q -DskipTests package -pl shared,functions)
fi
JAR="${JAR:-$(compgen -G "$ROOT/functions/target/kvstore-functions-aws.jar" | head -1 || true)}"
[[ -f "$JAR" ]] || { echo "lambda-init.sh: no aws jar (${JAR:-none in functions/target}); build it or set JAR" >&2; exit 2; }
echo "aws jar: $JAR ($(du -h "$JAR" | cut -f1))"
cp "$JAR" "$WORK/aws.jar" # a rebuild during the run must not change the jar under the measurements
JAR="$WORK/aws.jar"

"$JAVA_HOME/bin/javac" -d "$WORK/classes" -cp "$JAR" "$ROOT/bench/lambda/ColdStart.java"
"$JAVA_HOME/bin/jar" --create --file "$WORK/coldstart.jar" -C "$WORK/classes" .
python3 - "$ROOT/../shared/reference/aws-events/apigw_http_event.json" "$WORK/event.json" <<'PY'
import json, sys
try:
    event = json.load(open(sys.argv[1]))
except FileNotFoundError:
    event = {"version": "2.0", "requestContext": {"http": {"method": "GET", "sourceIp": "127.0.0.1"}}}
event.update({"routeKey": "GET /api/v1/health/ready", "rawPath": "/api/v1/health/ready", "rawQueryString": "",
              "headers": {"accept": "application/json"}, "body": None, "isBase64Encoded": False})
event["requestContext"]["http"].update({"method": "GET", "path": "/api/v1/health/ready"})
json.dump(event, open(sys.argv[2], "w"))
PY

export MAIN_CLASS=dev.kvstore.functions.FunctionsApplication KVSTORE_ENTRY_FUNCTION=httpApi
SECRET_KEY="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export REDIS_HOST=127.0.0.1 SECRET_KEY
CP="$JAR:$WORK/coldstart.jar"
run() {
	local rc=0
	timeout "$RUN_TIMEOUT" "$JAVA_HOME/bin/java" "$@" -cp "$CP" ColdStart "$WORK/event.json" > "$WORK/run.out" 2> "$WORK/run.err" || rc=$?
	grep "^{\"jvm_to_main_ms\"" "$WORK/run.out" && return 0
	echo "lambda-init.sh: the run failed (exit $rc$( ((rc != 124)) || echo ": no end in ${RUN_TIMEOUT}s")):" >&2
	tail -n 20 "$WORK/run.out" "$WORK/run.err" >&2
	exit 1
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
measure() {
	local label="$1"; shift
	: > "$WORK/$label.txt"
	for _ in $(seq "$RUNS"); do run "$@" >> "$WORK/$label.txt"; done
	printf '%-22s total %5s ms   construct %5s ms   first event %4s ms   (median of %s)\n' "$label" \
		"$(python3 -c 'import json,sys; print("\n".join(str(json.loads(l)["total_ms"]) for l in open(sys.argv[1])))' "$WORK/$label.txt" | median)" \
		"$(python3 -c 'import json,sys; print("\n".join(str(json.loads(l)["construct_ms"]) for l in open(sys.argv[1])))' "$WORK/$label.txt" | median)" \
		"$(python3 -c 'import json,sys; print("\n".join(str(json.loads(l)["first_event_ms"]) for l in open(sys.argv[1])))' "$WORK/$label.txt" | median)" \
		"$RUNS"
}

# "primed": the request path's priming requests (LambdaPriming) run at the end of construction, as
# SnapStart runs them before its snapshot; the first event then shows what a restored environment's
# first invocation costs, without the reconnection to Redis that follows a restore.
measure "plain JVM"
measure "plain JVM, primed" -Dkvstore.lambda.prime-on-start=true
run -XX:AOTCacheOutput="$WORK/app.aot" > /dev/null
measure "with AOT cache" -XX:AOTCache="$WORK/app.aot"
measure "AOT cache, primed" -XX:AOTCache="$WORK/app.aot" -Dkvstore.lambda.prime-on-start=true
