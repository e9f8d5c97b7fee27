#!/usr/bin/env bash
# Lambda-style initialisation of the functions' aws jar in a fresh JVM, as the Lambda runtime does it
# before SnapStart: construct the handler (FunctionInvoker starts Spring), serve one API Gateway HTTP
# API event (GET /api/v1/health/ready, which reaches Redis). Median of RUNS (5) runs, without and
# with a JDK 25 AOT cache made by a training run. Needs the machine's Redis on 127.0.0.1:6379.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
JAVA_HOME="${JAVA_HOME_25:-/usr/lib/jvm/temurin-25-jdk-amd64}"
RUNS="${RUNS:-5}"
WORK="$(mktemp -d /tmp/lambda-init.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT

(cd "$ROOT" && ./mvnw -B -q -DskipTests package -pl shared,functions)
JAR="$(ls "$ROOT"/functions/target/kvstore-functions-*-aws.jar)"
echo "aws jar: $JAR ($(du -h "$JAR" | cut -f1))"

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
export REDIS_HOST=127.0.0.1 SECRET_KEY="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
CP="$JAR:$WORK/coldstart.jar"
run() { "$JAVA_HOME/bin/java" "$@" -cp "$CP" ColdStart "$WORK/event.json" 2>/dev/null | grep "^{\"jvm_to_main_ms\"" ; }
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

measure "plain JVM"
run -XX:AOTCacheOutput="$WORK/app.aot" > /dev/null
measure "with AOT cache" -XX:AOTCache="$WORK/app.aot"
