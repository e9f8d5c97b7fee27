#!/usr/bin/env bash
# Cold start as Knative sees it, with the Dockerfile's start-up recipe run here without Docker: time
# from process start to the first successful authenticated GET /api/v1/kv/{key} (functions) or the
# first 200 from /health (worker), median of RUNS (5), and the resident memory after it, for:
#   jar       java -jar <Boot jar>
#   extracted java -jar app.jar from `-Djarmode=tools extract`
#   aot       the extracted app with a JDK 25 AOT cache recorded by a training run
# Needs Redis on 127.0.0.1:6379 and, for the worker, RabbitMQ on 127.0.0.1:5672. Loopback only.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
JAVA="${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
RUNS="${RUNS:-5}"
PORT="${PORT_BASE:-18180}"
WORK="$(mktemp -d /tmp/cold-start.XXXXXX)"
PIDS=()
cleanup() { for pid in "${PIDS[@]:-}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

export SECRET_KEY="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" REDIS_HOST=127.0.0.1
export JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+UseSerialGC"
(cd "$ROOT" && ./mvnw -B -q -DskipTests package)

for app in functions worker; do
	jar="$(ls "$ROOT"/$app/target/kvstore-$app-*[0-9T].jar)"
	"$JAVA" -Djarmode=tools -jar "$jar" extract --destination "$WORK/$app" > /dev/null
	mv "$WORK/$app"/kvstore-$app-*.jar "$WORK/$app/app.jar"
	(cd "$WORK/$app" && "$JAVA" -XX:AOTCacheOutput=app.aot -Dspring.context.exit=onRefresh -Dserver.port=0 \
		-jar app.jar > "$WORK/$app-training.log" 2>&1) || { echo "training run of $app failed"; tail "$WORK/$app-training.log"; exit 1; }
done

# A tenant, a key and a token made once; the same SECRET_KEY keeps the token valid in every run.
start() { # app mode port -> pid; runs from the extraction folder like the image does
	local app="$1" mode="$2" port="$3" jar
	jar="$(ls "$ROOT"/$app/target/kvstore-$app-*[0-9T].jar)"
	case "$mode" in
		jar) (PORT=$port exec "$JAVA" -jar "$jar" > "$WORK/$app-$mode.log" 2>&1) & ;;
		extracted) (cd "$WORK/$app" && PORT=$port exec "$JAVA" -jar app.jar > "$WORK/$app-$mode.log" 2>&1) & ;;
		aot) (cd "$WORK/$app" && PORT=$port exec "$JAVA" -XX:AOTCache=app.aot -jar app.jar > "$WORK/$app-$mode.log" 2>&1) & ;;
	esac
	echo $!
}
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

pid="$(start functions extracted $PORT)"; PIDS+=("$pid")
until curl -sf "http://127.0.0.1:$PORT/health" > /dev/null; do sleep 0.1; done
user="cold$(date +%s%N | tail -c 9)"
TOKEN="$(curl -sf -XPOST "http://127.0.0.1:$PORT/api/v1/auth/register" -H 'Content-Type: application/json' \
	-d "{\"username\":\"$user\",\"email\":\"$user@example.com\",\"password\":\"Passw0rdX\"}" |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')"
curl -sf -XPOST "http://127.0.0.1:$PORT/api/v1/kv" -H "Authorization: Bearer $TOKEN" -d '{"key":"cold","value":1}' > /dev/null
stop "$pid"

measure() { # app mode url [auth] -> prints "ms rss_kb"
	local app="$1" mode="$2" url="$3" auth="${4:-}" begin pid
	begin=$(date +%s%N)
	pid="$(start "$app" "$mode" $PORT)"; PIDS+=("$pid")
	until [ "$(curl -s -o /dev/null -w '%{http_code}' ${auth:+-H "Authorization: Bearer $auth"} "$url")" = 200 ]; do
		kill -0 "$pid" 2>/dev/null || { echo "the app stopped; see $WORK/$app-$mode.log" >&2; exit 1; }
		sleep 0.01
	done
	echo "$(( ($(date +%s%N) - begin) / 1000000 )) $(ps -o rss= -p "$pid" | tr -d ' ')"
	stop "$pid"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
printf '%-10s %-10s %18s %14s\n' app mode "first answer (ms)" "RSS (MiB)"
for app in functions worker; do
	for mode in jar extracted aot; do
		: > "$WORK/times"
		for _ in $(seq "$RUNS"); do
			if [ "$app" = functions ]; then
				measure functions "$mode" "http://127.0.0.1:$PORT/api/v1/kv/cold" "$TOKEN" >> "$WORK/times"
			else
				measure worker "$mode" "http://127.0.0.1:$PORT/health" >> "$WORK/times"
			fi
		done
		printf '%-10s %-10s %18s %14s\n' "$app" "$mode" "$(cut -d' ' -f1 "$WORK/times" | median)" \
			"$(( $(cut -d' ' -f2 "$WORK/times" | median) / 1024 ))"
	done
done
echo "median of $RUNS runs each; JAVA_TOOL_OPTIONS=$JAVA_TOOL_OPTIONS"
