#!/usr/bin/env bash
# Does the audit relay keep up with writes? The functions app and the worker on the machine's Redis
# and RabbitMQ (the compose shape), one tenant: WARMUP seconds of creates, a pause until the
# tenant's outbox is empty, then DURATION seconds of creates (wrk, unique keys). Reports the create
# rate, the outbox backlog the moment the load stops (events, and seconds of writes) and the time
# until the outbox is empty again. See bench/README.md. Loopback only; every wait is bounded; stops
# the apps it started on exit. It waits (at most DRAIN_TIMEOUT) for the worker's queue too, so that
# it leaves no backlog for the next run or test on this broker.
#
#   bench/audit-lag.sh                          # build, 60 s warm-up, 20 s measured
#   REBUILD=0 WARMUP=10 DURATION=5 bench/audit-lag.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
JAVA="${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
WARMUP="${WARMUP:-60}"                # seconds of creates before measuring
DURATION="${DURATION:-20}"            # seconds of creates measured
CONNECTIONS="${CONNECTIONS:-32}"
THREADS="${THREADS:-2}"
DRAIN_TIMEOUT="${DRAIN_TIMEOUT:-180}" # seconds an outbox may take to empty before the script gives up
APP_PORT="${APP_PORT:-18280}"
WORKER_PORT="${WORKER_PORT:-18281}"
REBUILD="${REBUILD:-1}"               # 0: use the jars in functions/target and worker/target
APP_JAVA_OPTS="${APP_JAVA_OPTS:-}"    # e.g. a profiler agent for the functions app
WORKER_JAVA_OPTS="${WORKER_JAVA_OPTS:-}" # the same for the worker
for name in WARMUP DURATION CONNECTIONS THREADS DRAIN_TIMEOUT APP_PORT WORKER_PORT; do
	[[ "${!name}" =~ ^[0-9]+$ ]] || { echo "audit-lag.sh: $name must be a whole number, got '${!name}'" >&2; exit 2; }
done
((DURATION >= 1 && THREADS >= 1 && CONNECTIONS >= THREADS)) || { echo "audit-lag.sh: need DURATION>=1, CONNECTIONS>=THREADS>=1" >&2; exit 2; }

HOST=127.0.0.1
RCLI=(redis-cli -h "$HOST" -p 6379)
log() { echo "[audit-lag $(date +%T)] $*" >&2; }
die() { log "$*"; exit 1; }
port_open() { (exec 3<> "/dev/tcp/$HOST/$1") 2> /dev/null; }
command -v wrk > /dev/null || die "no wrk (apt-get install wrk)"
[[ "$("${RCLI[@]}" PING 2> /dev/null)" == PONG ]] || die "no Redis on $HOST:6379"
port_open 5672 || die "no RabbitMQ on $HOST:5672"
for port in "$APP_PORT" "$WORKER_PORT"; do
	! port_open "$port" || die "port $port is busy"
done

RESULTS="$ROOT/bench/results/audit-lag-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$RESULTS"
WORK="$(mktemp -d /tmp/audit-lag.XXXXXX)"
PIDS=()
cleanup() {
	local rc=$? pid
	trap - EXIT INT TERM
	for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2> /dev/null || true; done
	for pid in "${PIDS[@]}"; do wait "$pid" 2> /dev/null || true; done
	rm -rf "$WORK"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ "$REBUILD" == 1 ]]; then
	log "building (./mvnw -B -q -DskipTests package)"
	(cd "$ROOT" && ./mvnw -B -q -DskipTests package)
fi
for app in functions worker; do
	jar="$(compgen -G "$ROOT/$app/target/kvstore-$app-*[0-9T].jar" | head -1)" || true
	[[ -f "$jar" ]] || die "no $app jar in $app/target; build it first"
	cp "$jar" "$WORK/$app.jar"
done

export REDIS_HOST="$HOST" RABBITMQ_HOST="$HOST"
# shellcheck disable=SC2086  # WORKER_JAVA_OPTS is a list of words
(PORT="$WORKER_PORT" exec "$JAVA" $WORKER_JAVA_OPTS -jar "$WORK/worker.jar" > "$RESULTS/worker.log" 2>&1) &
PIDS+=($!)
# shellcheck disable=SC2086  # APP_JAVA_OPTS is a list of words
(PORT="$APP_PORT" SECRET_KEY="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" \
	TENANT_OPS_PER_SECOND=1000000 REGISTRATIONS_PER_ADDRESS=0 \
	exec "$JAVA" $APP_JAVA_OPTS -jar "$WORK/functions.jar" > "$RESULTS/app.log" 2>&1) &
PIDS+=($!)
for port in "$APP_PORT" "$WORKER_PORT"; do
	for ((i = 0; i < 1200; i++)); do
		curl -fsS --max-time 2 "http://$HOST:$port/health" > /dev/null 2>&1 && break
		((i < 1199)) || die "nothing healthy on port $port after 120 s (logs in $RESULTS)"
		sleep 0.1
	done
done
APP="http://$HOST:$APP_PORT"

user="auditlag_$(date +%s)_$$"
reply="$(curl -sS --max-time 30 -H 'Content-Type: application/json' \
	-d "{\"username\":\"$user\",\"email\":\"$user@example.com\",\"password\":\"Passw0rdX\"}" "$APP/api/v1/auth/register")"
token="$(sed -n 's/.*"access_token" *: *"\([^"]*\)".*/\1/p' <<< "$reply")"
tenant="$(sed -n 's/.*"tenant_id" *: *"\([^"]*\)".*/\1/p' <<< "$reply")"
[[ -n "$token" && -n "$tenant" ]] || die "registration failed: $reply"
printf '%s\tbk-0\n' "$token" > "$WORK/pool.tsv"
OUTBOX="kv:{$tenant}:outbox"

# Seconds (one decimal) until the outbox is empty; dies after DRAIN_TIMEOUT.
drain_seconds() {
	local i
	for ((i = 0; i < DRAIN_TIMEOUT * 10; i++)); do
		(($("${RCLI[@]}" XLEN "$OUTBOX") == 0)) && { echo "$((i / 10)).$((i % 10))"; return 0; }
		sleep 0.1
	done
	die "the outbox still holds $("${RCLI[@]}" XLEN "$OUTBOX") events after ${DRAIN_TIMEOUT} s"
}
# Messages waiting in the worker's queue (rabbitmqctl), or "?" where rabbitmqctl cannot tell.
QUEUE="${AUDIT_EXCHANGE:-kvstore.audit}.worker"
queued() {
	rabbitmqctl -q list_queues name messages 2> /dev/null | awk -v q="$QUEUE" '$1 == q {print $2; found = 1} END {if (!found) print "?"}'
}
# Seconds until the worker's queue is empty: the audit log has caught up. Gives up after DRAIN_TIMEOUT.
queue_drain_seconds() {
	local i n
	for ((i = 0; i < DRAIN_TIMEOUT; i++)); do
		n="$(queued)"
		[[ "$n" == "?" ]] && { echo "?"; return 0; }
		((n == 0)) && { echo "$i"; return 0; }
		sleep 1
	done
	log "warning: the worker's queue still holds $(queued) messages after ${DRAIN_TIMEOUT} s"
	echo ">$DRAIN_TIMEOUT"
}
creates() { # run-id seconds output
	BENCH_MODE=create BENCH_POOL="$WORK/pool.tsv" BENCH_RUN_ID="$1" \
		wrk -t "$THREADS" -c "$CONNECTIONS" -d "${2}s" --timeout 5s --latency -s "$ROOT/bench/kv.lua" "$APP/api/v1/kv" > "$3"
}

if ((WARMUP > 0)); then
	log "warm-up: ${WARMUP} s of creates"
	creates warmup "$WARMUP" "$RESULTS/warmup.txt"
	log "warm-up backlog drained in $(drain_seconds) s"
fi
log "measured: ${DURATION} s of creates, $CONNECTIONS connections"
creates measure "$DURATION" "$RESULTS/create.txt"
backlog="$("${RCLI[@]}" XLEN "$OUTBOX")"
queued_at_stop="$(queued)"
drain="$(drain_seconds)"
worker_drain="$(queue_drain_seconds)"
rate="$(awk '/^Requests\/sec/ {print $2}' "$RESULTS/create.txt")"
errors="$(awk '/Non-2xx/ {print $NF}' "$RESULTS/create.txt")"

code="$(curl -sS --max-time 120 -o /dev/null -w '%{http_code}' -X DELETE -H "Authorization: Bearer $token" "$APP/api/v1/auth/me")"
[[ "$code" == 204 ]] || log "warning: deleting the bench tenant answered $code"
drain_seconds > /dev/null

{
	printf 'creates/s %s (non-2xx: %s), %s connections, %s s\n' "$rate" "${errors:-0}" "$CONNECTIONS" "$DURATION"
	printf 'outbox backlog when the load stopped: %s events = %s s of writes\n' "$backlog" \
		"$(awk -v b="$backlog" -v r="$rate" 'BEGIN {printf "%.2f", (r > 0) ? b / r : 0}')"
	printf 'outbox empty %s s after the load stopped\n' "$drain"
	printf "the worker's queue: %s messages when the load stopped, empty %s s after it (the audit log caught up)\n" \
		"$queued_at_stop" "$worker_drain"
} | tee "$RESULTS/summary.txt"
log "results in $RESULTS"
