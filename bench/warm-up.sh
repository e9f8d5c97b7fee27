#!/usr/bin/env bash
# How soon after its start does the functions app serve authenticated GETs at full speed? Starts the
# app with the container image's recipe (extracted jar + a JDK 25 AOT cache from a training run, as
# in the Dockerfile), then drives GET /api/v1/kv/{key} (one tenant, one key, one token, wrk -t2 -c64)
# in WINDOW-second runs back to back for DURATION seconds, and prints each window's req/s with the
# time since process start at its end. Steady speed is the median of the last four windows; the
# report says when a window first reached 90% of it. Needs Redis on 127.0.0.1:6379. Loopback only;
# every step is bounded; on exit it stops the app it started, and nothing else.
#
#   bench/warm-up.sh                        # build, 90 s of 5 s windows
#   REBUILD=0 DURATION=30 bench/warm-up.sh  # quick check with the jar as it is
#   TRAIN_SECONDS=40 bench/warm-up.sh       # the AOT cache trained on 40 s of traffic (ops/aot-training)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
JAVA="${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
DURATION="${DURATION:-90}"
WINDOW="${WINDOW:-5}"
PORT="${PORT_BASE:-18280}"
REBUILD="${REBUILD:-1}"
TRAIN_SECONDS="${TRAIN_SECONDS:-0}"
[[ "$TRAIN_SECONDS" =~ ^[0-9]+$ ]] || { echo "warm-up.sh: TRAIN_SECONDS must be a whole number" >&2; exit 2; }
for name in DURATION WINDOW PORT; do
	[[ "${!name}" =~ ^[0-9]+$ ]] && ((${!name} > 0)) || { echo "warm-up.sh: $name must be a positive whole number" >&2; exit 2; }
done
command -v wrk > /dev/null || { echo "warm-up.sh: needs wrk (apt-get install wrk)" >&2; exit 2; }

WORK="$(mktemp -d /tmp/warm-up.XXXXXX)"
APP_PID=""
stop() {
	[[ -n "$APP_PID" ]] || return 0
	kill -TERM "$APP_PID" 2> /dev/null || true
	for _ in $(seq 1200); do kill -0 "$APP_PID" 2> /dev/null || break; sleep 0.1; done # an AOT cache is written on exit
	kill -KILL "$APP_PID" 2> /dev/null || true
	wait "$APP_PID" 2> /dev/null || true
	APP_PID=""
}
cleanup() { local rc=$?; trap - EXIT INT TERM; stop; rm -rf "$WORK"; exit "$rc"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ "$REBUILD" == 1 ]]; then
	(cd "$ROOT" && ./mvnw -B -q -DskipTests package -pl shared,functions)
fi
JAR="$(compgen -G "$ROOT/functions/target/kvstore-functions-*[0-9T].jar" | head -1)" || true
[[ -f "$JAR" ]] || { echo "warm-up.sh: no functions jar in functions/target; build it" >&2; exit 2; }

SECRET_KEY="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export SECRET_KEY REDIS_HOST=127.0.0.1 PORT REGISTRATIONS_PER_ADDRESS=0 TENANT_OPS_PER_SECOND=1000000
# The image's JVM options unless told otherwise.
export JAVA_TOOL_OPTIONS="${JAVA_TOOL_OPTIONS:--XX:MaxRAMPercentage=75 -XX:+UseSerialGC}"
BASE="http://127.0.0.1:$PORT"

"$JAVA" -Djarmode=tools -jar "$JAR" extract --destination "$WORK/app" > /dev/null
mv "$WORK/app/$(basename "$JAR")" "$WORK/app/app.jar"
start() { # [java options]
	(cd "$WORK/app" && exec "$JAVA" "$@" -jar app.jar > "$WORK/app.log" 2>&1) &
	APP_PID=$!
	for _ in $(seq 1200); do
		curl -sf --max-time 1 "$BASE/health" > /dev/null && return 0
		kill -0 "$APP_PID" 2> /dev/null || { echo "the app stopped:"; tail -n 30 "$WORK/app.log"; exit 1; }
		sleep 0.05
	done
	echo "the app did not answer /health in 60 s" >&2
	exit 1
}

# A tenant and a key, made by an app that is then stopped: the measured process starts cold.
start
user="warm$(date +%s%N | tail -c 9)"
TOKEN="$(curl -sf --max-time 30 -XPOST "$BASE/api/v1/auth/register" -H 'Content-Type: application/json' \
	-d "{\"username\":\"$user\",\"email\":\"$user@example.com\",\"password\":\"Passw0rdX\"}" |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')"
curl -sf --max-time 30 -XPOST "$BASE/api/v1/kv" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
	-d '{"key":"warm","value":"a value of about the size the benchmark uses, give or take a few bytes"}' > /dev/null
stop

# The AOT cache's training run: the image's way, or TRAIN_SECONDS of traffic (ops/aot-training).
JAVA="$JAVA" "$ROOT/ops/aot-training/train.sh" "$WORK/app" "$TRAIN_SECONDS"

begin=$(date +%s%N)
# AOT_CACHE=0 starts without the AOT cache, to compare.
if [[ "${AOT_CACHE:-1}" == 0 ]]; then start; else start -XX:AOTCache=app.aot; fi
echo "healthy $(( ($(date +%s%N) - begin) / 1000000 )) ms after process start; ${WINDOW} s windows of GET:"
: > "$WORK/windows"
for ((w = 0; w * WINDOW < DURATION; w++)); do
	wrk -t2 -c64 -d"${WINDOW}s" --timeout 5s -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/kv/warm" > "$WORK/wrk.txt"
	rps="$(awk '/^Requests\/sec:/ {print $2}' "$WORK/wrk.txt")"
	bad="$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$WORK/wrk.txt")"
	at=$(( ($(date +%s%N) - begin) / 1000000 ))
	printf '%6.1f s  %9.0f req/s%s\n' "$(awk -v t="$at" 'BEGIN {print t / 1000}')" "$rps" "${bad:+  ($bad non-2xx)}"
	echo "$at $rps" >> "$WORK/windows"
done

steady="$(tail -n 4 "$WORK/windows" | awk '{print $2}' | sort -n | awk '{a[NR]=$1} END {print (a[2] + a[3]) / 2}')"
awk -v s="$steady" '$2 >= 0.9 * s {printf "steady %.0f req/s (median of the last 4 windows); 90%% of it first in the window ending %.1f s after process start\n", s, $1 / 1000; found = 1; exit}
	END {if (!found) print "no window reached 90% of the steady speed"}' "$WORK/windows"

code="$(curl -s --max-time 30 -o /dev/null -w '%{http_code}' -X DELETE -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/auth/me")" || true
[[ "$code" == 204 ]] || echo "note: deleting the tenant $user answered HTTP $code" >&2
