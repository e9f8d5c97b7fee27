#!/usr/bin/env bash
# Cold start as Knative sees it, with the Dockerfile's start-up recipe run here without Docker: time
# from process start to the first successful authenticated GET /api/v1/kv/{key} (functions) or the
# first 200 from /health (worker), median of RUNS (5), and the resident memory after it; and the
# same for the floor they are compared with: a bare Spring Boot + WebFlux + Spring Cloud Function app
# with one function and one route (bench/bare, first 200 from GET /greet/{name}); each way as:
#   jar       java -jar <Boot jar>
#   extracted java -jar app.jar from `-Djarmode=tools extract`
#   aot       the extracted app with a JDK 25 AOT cache recorded by a training run
# Needs Redis on 127.0.0.1:6379 and, for the worker, RabbitMQ on 127.0.0.1:5672 (APPS=functions
# measures the functions app only). Loopback only. One app process runs at a time, as a child of
# this script: each is stopped and waited for, and its port is free, before the next starts; on
# exit the script stops the one it started, nothing else.
#
#   bench/cold-start.sh                                   # build, both apps, 5 runs each
#   REBUILD=0 APPS=functions RUNS=1 bench/cold-start.sh   # quick check
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
JAVA="${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
RUNS="${RUNS:-5}"
PORT="${PORT_BASE:-18180}"
APPS="${APPS:-bare functions worker}"
REBUILD="${REBUILD:-1}"                  # 0: use the jars as they are
STARTUP_TIMEOUT="${STARTUP_TIMEOUT:-120}" # seconds a start may take before the script gives up
TRAIN_SECONDS="${TRAIN_SECONDS:-0}"      # >0: the functions app's AOT cache trains on that much traffic (ops/aot-training)
# The Boot jars; by default the ones in functions/target and worker/target.
declare -A JAR_OF=([functions]="${FUNCTIONS_JAR:-}" [worker]="${WORKER_JAR:-}" [bare]="${BARE_JAR:-}")

for name in RUNS PORT STARTUP_TIMEOUT TRAIN_SECONDS; do
	[[ "${!name}" =~ ^[0-9]+$ ]] || { echo "cold-start.sh: $name must be a whole number, got '${!name}'" >&2; exit 2; }
done
((RUNS >= 1)) || { echo "cold-start.sh: RUNS must be at least 1" >&2; exit 2; }
for app in $APPS; do
	[[ "$app" == bare || "$app" == functions || "$app" == worker ]] ||
		{ echo "cold-start.sh: APPS takes bare, functions and worker, not '$app'" >&2; exit 2; }
done
[[ -x "$JAVA" ]] || { echo "cold-start.sh: no Java at $JAVA" >&2; exit 2; }
port_open() { (exec 3<> "/dev/tcp/$1/$2") 2> /dev/null; }
if [[ " $APPS " == *" worker "* ]] && ! port_open "${RABBITMQ_HOST:-127.0.0.1}" "${RABBITMQ_PORT:-5672}"; then
	echo "cold-start.sh: the worker needs RabbitMQ on ${RABBITMQ_HOST:-127.0.0.1}:${RABBITMQ_PORT:-5672}; APPS=functions measures the functions app only" >&2
	exit 2
fi

WORK="$(mktemp -d /tmp/cold-start.XXXXXX)"
APP_PID=""   # the one app process running, a child of this shell

# Stops the app and waits until it has exited and its port is free.
stop() {
	local pid="$APP_PID" i
	[[ -n "$pid" ]] || return 0
	kill -TERM "$pid" 2> /dev/null || true
	for ((i = 0; i < 300; i++)); do
		kill -0 "$pid" 2> /dev/null || break
		sleep 0.1
	done
	kill -0 "$pid" 2> /dev/null && kill -KILL "$pid" 2> /dev/null
	wait "$pid" 2> /dev/null || true
	APP_PID=""
	wait_port_free
}
wait_port_free() {
	local i
	for ((i = 0; i < 300; i++)); do
		port_open 127.0.0.1 "$PORT" || return 0
		sleep 0.1
	done
	echo "port $PORT is still busy after 30 s" >&2
	return 1
}
cleanup() { local rc=$?; trap - EXIT INT TERM; stop || true; rm -rf "$WORK"; exit "$rc"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ "$REBUILD" == 1 ]]; then
	(cd "$ROOT" && ./mvnw -B -q -DskipTests package)
	# The bare app has no toolchain set-up of its own: it builds with the JDK it runs on.
	[[ " $APPS " != *" bare "* ]] ||
		(cd "$ROOT" && JAVA_HOME="$(dirname "$(dirname "$JAVA")")" ./mvnw -B -q -DskipTests -f bench/bare/pom.xml package)
fi
# Copies: a rebuild during the run must not change the jars under the measurements.
mkdir "$WORK/jars"
for app in $APPS; do
	jar="${JAR_OF[$app]}"
	if [[ -z "$jar" && "$app" == bare ]]; then
		jar="$(compgen -G "$ROOT/bench/bare/target/bare-function-app-*[0-9T].jar" | head -1)" || true
	elif [[ -z "$jar" ]]; then
		jar="$(compgen -G "$ROOT/$app/target/kvstore-$app-*[0-9T].jar" | head -1)" || true
	fi
	[[ -f "$jar" ]] || { echo "cold-start.sh: no $app jar (${jar:-none in $app/target}); build it or set ${app^^}_JAR" >&2; exit 2; }
	cp "$jar" "$WORK/jars/kvstore-$app.jar"
done

# Every start gets these. One registration per run, from 127.0.0.1: the per-address registration
# limit (20 an hour, counted in Redis across runs and other clients) is lifted so that earlier runs
# cannot refuse it. The token is made once and used by every start (same SECRET_KEY): it lives
# long enough for any RUNS.
SECRET_KEY="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export SECRET_KEY REDIS_HOST=127.0.0.1
export REGISTRATIONS_PER_ADDRESS=0 ACCESS_TOKEN_EXPIRE_MINUTES="${ACCESS_TOKEN_EXPIRE_MINUTES:-720}"
export JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+UseSerialGC"

for app in $APPS; do
	"$JAVA" -Djarmode=tools -jar "$WORK/jars/kvstore-$app.jar" extract --destination "$WORK/$app" > /dev/null
	mv "$WORK/$app/kvstore-$app.jar" "$WORK/$app/app.jar"
	# The image's training run; with TRAIN_SECONDS, the functions app trains on traffic instead.
	seconds=0
	if [[ "$app" == functions ]]; then seconds="$TRAIN_SECONDS"; fi
	JAVA="$JAVA" "$ROOT/ops/aot-training/train.sh" "$WORK/$app" "$seconds"
done

# Starts the app in the background as a direct child of this shell (APP_PID), once the previous
# one has exited and the port is free; runs from the extraction folder like the image does.
start() { # app mode
	stop
	wait_port_free
	launch "$@"
}
launch() { # app mode; the caller has made sure that the port is free
	local app="$1" mode="$2"
	case "$mode" in
		jar) (PORT=$PORT exec "$JAVA" -jar "$WORK/jars/kvstore-$app.jar" > "$WORK/$app-$mode.log" 2>&1) & ;;
		extracted) (cd "$WORK/$app" && PORT=$PORT exec "$JAVA" -jar app.jar > "$WORK/$app-$mode.log" 2>&1) & ;;
		aot) (cd "$WORK/$app" && PORT=$PORT exec "$JAVA" -XX:AOTCache=app.aot -jar app.jar > "$WORK/$app-$mode.log" 2>&1) & ;;
	esac
	APP_PID=$!
}

# Waits for a 200 from url, at most STARTUP_TIMEOUT seconds from begin (ns); exits on failure.
await_200() { # app mode url begin curl-args...
	local app="$1" mode="$2" url="$3" begin="$4" code
	shift 4
	until code="$(curl -s --max-time 2 -o /dev/null -w '%{http_code}' "$@" "$url")" && [[ "$code" == 200 ]]; do
		if ! kill -0 "$APP_PID" 2> /dev/null; then
			echo "the $app app ($mode) stopped; its log:" >&2
			tail -n 30 "$WORK/$app-$mode.log" >&2
			exit 1
		fi
		if (($(date +%s%N) - begin > STARTUP_TIMEOUT * 1000000000)); then
			echo "no 200 from $url in ${STARTUP_TIMEOUT}s (last HTTP $code); the $app app's log ($mode):" >&2
			tail -n 30 "$WORK/$app-$mode.log" >&2
			exit 1
		fi
		sleep 0.01
	done
}

BASE="http://127.0.0.1:$PORT"
if [[ " $APPS " == *" functions "* ]]; then
	# A tenant, a key and a token made once.
	start functions extracted
	await_200 functions extracted "$BASE/health" "$(date +%s%N)"
	user="cold$(date +%s%N | tail -c 9)"
	TOKEN="$(curl -sf --max-time 30 -XPOST "$BASE/api/v1/auth/register" -H 'Content-Type: application/json' \
		-d "{\"username\":\"$user\",\"email\":\"$user@example.com\",\"password\":\"Passw0rdX\"}" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')" ||
		{ echo "registering the cold-start tenant failed" >&2; exit 1; }
	curl -sf --max-time 30 -XPOST "$BASE/api/v1/kv" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
		-d '{"key":"cold","value":1}' > /dev/null
	stop
fi

measure() { # app mode url [token] -> appends "ms rss_kb" to $WORK/times
	local app="$1" mode="$2" url="$3" token="${4:-}" begin
	local -a auth=()
	[[ -z "$token" ]] || auth=(-H "Authorization: Bearer $token")
	stop
	wait_port_free
	begin=$(date +%s%N)
	launch "$app" "$mode"
	await_200 "$app" "$mode" "$url" "$begin" "${auth[@]}"
	echo "$(( ($(date +%s%N) - begin) / 1000000 )) $(ps -o rss= -p "$APP_PID" | tr -d ' ')" >> "$WORK/times"
	stop
}

declare -A MEDIAN
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
printf '%-10s %-10s %18s %14s\n' app mode "first answer (ms)" "RSS (MiB)"
for app in $APPS; do
	for mode in jar extracted aot; do
		: > "$WORK/times"
		for _ in $(seq "$RUNS"); do
			case "$app" in
				functions) measure functions "$mode" "$BASE/api/v1/kv/cold" "$TOKEN" ;;
				worker) measure worker "$mode" "$BASE/health" ;;
				bare) measure bare "$mode" "$BASE/greet/cold" ;;
			esac
		done
		MEDIAN["$app/$mode"]="$(cut -d' ' -f1 "$WORK/times" | median)"
		printf '%-10s %-10s %18s %14s\n' "$app" "$mode" "${MEDIAN[$app/$mode]}" \
			"$(( $(cut -d' ' -f2 "$WORK/times" | median) / 1024 ))"
	done
done
echo "median of $RUNS runs each; JAVA_TOOL_OPTIONS=$JAVA_TOOL_OPTIONS"
if [[ -n "${MEDIAN[bare/aot]:-}" ]]; then
	for app in functions worker; do
		[[ -n "${MEDIAN[$app/aot]:-}" ]] || continue
		for mode in jar extracted aot; do
			awk -v a="${MEDIAN[$app/$mode]}" -v b="${MEDIAN[bare/$mode]}" -v app="$app" -v mode="$mode" \
				'BEGIN { printf "%s %s: %.2f x the bare app\n", app, mode, a / b }'
		done
	done
fi

# Tidy up: delete the tenant (and its key) made for the run.
if [[ " $APPS " == *" functions "* ]]; then
	start functions extracted
	await_200 functions extracted "$BASE/health" "$(date +%s%N)"
	code="$(curl -s --max-time 30 -o /dev/null -w '%{http_code}' -X DELETE -H "Authorization: Bearer $TOKEN" \
		"$BASE/api/v1/auth/me")" || true
	[[ "$code" == 204 ]] || echo "note: deleting the tenant $user answered HTTP $code" >&2
	stop
fi
