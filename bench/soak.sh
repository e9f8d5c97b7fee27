#!/usr/bin/env bash
# Soak test of KVStore: mixed traffic from many tenants for several minutes against a Redis of its
# own, which is restarted once in the middle; reports requests, errors by status and latency, and
# checks afterwards that every acknowledged write is present with the right version. See
# bench/README.md ("Soak"). Loopback only; every step is bounded in time; on exit it stops what it
# started (the app, its Redis, the soak client) and removes its temporary directory, nothing else.
#
#   bench/soak.sh                        # 180 s of traffic, Redis restarted at 90 s
#   DURATION=40 REBUILD=0 bench/soak.sh  # quick check
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"
HOST=127.0.0.1

log() { printf '[soak.sh %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 2; }

# Starts the soak Redis (daemonized; its pid in $SOAK_WORK/redis.pid) and waits until it answers
# and has loaded its append-only file.
start_redis() {
	redis-server --port "$SOAK_REDIS_PORT" --bind "$HOST" --protected-mode yes \
		--dir "$SOAK_WORK/redis" --appendonly yes --appendfsync always --save '' \
		--daemonize yes --pidfile "$SOAK_WORK/redis.pid" --logfile "$SOAK_RESULTS/redis.log" \
		> /dev/null || return 1
	local i
	for ((i = 0; i < 300; i++)); do
		[[ "$(redis-cli -h "$HOST" -p "$SOAK_REDIS_PORT" PING 2>/dev/null)" == PONG ]] &&
			redis-cli -h "$HOST" -p "$SOAK_REDIS_PORT" INFO persistence 2>/dev/null | grep -q '^loading:0' &&
			return 0
		sleep 0.1
	done
	return 1
}

# The soak Redis' pid, if the pid file names a live redis-server on our port.
redis_pid() {
	local pid
	pid="$(cat "$SOAK_WORK/redis.pid" 2>/dev/null)" || return 1
	[[ "$pid" =~ ^[0-9]+$ ]] && alive "$pid" &&
		tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q "redis-server.*:$SOAK_REDIS_PORT" &&
		echo "$pid"
}

# Whether a process runs: a zombie does not (the daemonized Redis is reaped by PID 1, sometimes late).
alive() { local state; state="$(ps -o stat= -p "$1" 2>/dev/null)" && [[ -n "$state" && "$state" != Z* ]]; }

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# ---- the restart, run by Soak.java as RESTART_CMD: "bench/soak.sh __restart-redis" ----------
if [[ "${1:-}" == __restart-redis ]]; then
	echo $$ > "$SOAK_WORK/restart.pid"
	old="$(redis_pid)" || { echo "no soak Redis running on port $SOAK_REDIS_PORT"; exit 1; }
	t0="$(now)"
	# SHUTDOWN fsyncs the append-only file (appendfsync always has written every write already).
	timeout 30 redis-cli -h "$HOST" -p "$SOAK_REDIS_PORT" SHUTDOWN > /dev/null 2>&1 || true
	for ((i = 0; i < 300; i++)); do
		alive "$old" || break
		sleep 0.05
	done
	alive "$old" && { echo "Redis (pid $old) did not stop in 30 s"; exit 1; }
	t1="$(now)"
	sleep "$SOAK_REDIS_DOWN"
	t2="$(now)"
	start_redis || { echo "Redis did not start again in 30 s (see redis.log)"; exit 1; }
	t3="$(now)"
	echo "$t3" > "$SOAK_WORK/redis-back"
	echo "redis pid $old -> $(redis_pid || echo '?'): down for $(secs "$t0" "$t3") s" \
		"(SHUTDOWN took $(secs "$t0" "$t1") s, kept down $(secs "$t1" "$t2") s, start and AOF load $(secs "$t2" "$t3") s)"
	echo "redis keys after the restart: $(redis-cli -h "$HOST" -p "$SOAK_REDIS_PORT" DBSIZE)"
	rm -f "$SOAK_WORK/restart.pid"
	exit 0
fi

# ---- parameters (env vars) ------------------------------------------------------------
DURATION="${DURATION:-180}"             # seconds of traffic (at most 1200: tokens live 30 min)
TENANTS="${TENANTS:-50}"
CONCURRENCY="${CONCURRENCY:-32}"        # workers, each one request at a time
KEYS_PER_WORKER="${KEYS_PER_WORKER:-128}"
RESTART_AT="${RESTART_AT:-$((DURATION / 2))}"   # seconds into the traffic; RESTART=0 for none
RESTART="${RESTART:-1}"
REDIS_DOWN="${REDIS_DOWN:-5}"           # seconds Redis stays down between SHUTDOWN and start
REDIS_PORT="${REDIS_PORT:-16390}"       # the soak's own Redis; the next free port if busy
APP_PORT="${APP_PORT:-18090}"           # the next free port if busy
AMBIGUOUS_GRACE="${AMBIGUOUS_GRACE:-15}"
STARTUP_TIMEOUT="${STARTUP_TIMEOUT:-180}"
REBUILD="${REBUILD:-1}"                 # 0: use the jar as it is, if it exists
JAVA="${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
JAVA_OPTS="${JAVA_OPTS:-}"
JAR="${JAR:-$ROOT/functions/target/kvstore-functions-0.1.0-SNAPSHOT.jar}"

for name in DURATION TENANTS CONCURRENCY KEYS_PER_WORKER RESTART_AT RESTART REDIS_DOWN REDIS_PORT APP_PORT \
	AMBIGUOUS_GRACE STARTUP_TIMEOUT; do
	[[ "${!name}" =~ ^[0-9]+$ ]] || die "$name must be a whole number, got '${!name}'"
done
((DURATION >= 1 && DURATION <= 1200)) || die "DURATION must be 1..1200 s (access tokens live 30 minutes)"
((RESTART_AT <= DURATION)) || die "RESTART_AT ($RESTART_AT) must be within DURATION ($DURATION)"
((TENANTS >= 1 && CONCURRENCY >= 1 && KEYS_PER_WORKER >= 1)) || die "TENANTS, CONCURRENCY and KEYS_PER_WORKER must be >= 1"
((REDIS_DOWN <= 60)) || die "REDIS_DOWN must be at most 60 s"

for tool in redis-server redis-cli curl openssl timeout; do
	command -v "$tool" > /dev/null 2>&1 || die "$tool is missing"
done
[[ -x "$JAVA" ]] || die "no Java at $JAVA (set JAVA=/path/to/java, 25 or later: it runs Soak.java from source)"

# ---- cleanup: stop only what this script started -------------------------------------
APP_PID=""
SOAK_PID=""
SOAK_WORK=""

stop_pid() { # pid name seconds
	local pid="$1" name="$2" grace="$3" i
	[[ -n "$pid" ]] && alive "$pid" || return 0
	log "stopping $name (pid $pid)"
	kill -TERM "$pid" 2>/dev/null || true
	for ((i = 0; i < grace * 10; i++)); do
		alive "$pid" || break
		sleep 0.1
	done
	if alive "$pid"; then
		log "$name did not stop in ${grace}s; killing it"
		kill -KILL "$pid" 2>/dev/null || true
	fi
	wait "$pid" 2>/dev/null || true
}

cleanup() {
	local rc=$? pid
	trap - EXIT INT TERM
	stop_pid "$SOAK_PID" "the soak client" 10
	if [[ -n "$SOAK_WORK" ]]; then
		# A restart still running (the client was stopped during it) would start Redis again.
		pid="$(cat "$SOAK_WORK/restart.pid" 2>/dev/null || true)"
		[[ "$pid" =~ ^[0-9]+$ ]] && stop_pid "$pid" "the Redis restart" 5
	fi
	stop_pid "$APP_PID" app 30
	if [[ -n "$SOAK_WORK" ]]; then
		pid="$(redis_pid || true)"
		[[ -n "$pid" ]] && stop_pid "$pid" "the soak Redis" 10
		rm -rf "$SOAK_WORK"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port_busy() { (exec 3<> "/dev/tcp/$HOST/$1") 2>/dev/null; }
free_port() { # first free port from $1 on, never the machine's Redis ports (6379) nor the embedded one (16379)
	local port="$1" tries
	for ((tries = 0; tries < 100; tries++, port++)); do
		[[ "$port" == 6379 || "$port" == 16379 ]] && continue
		port_busy "$port" || { echo "$port"; return 0; }
	done
	return 1
}

# ---- 1. build ------------------------------------------------------------------------
if [[ "$REBUILD" == 1 || ! -f "$JAR" ]]; then
	log "building the jar (./mvnw -B -q -DskipTests -pl functions -am package)"
	(cd "$ROOT" && timeout 900 ./mvnw -B -q -DskipTests -pl functions -am package)
fi
[[ -f "$JAR" ]] || die "no jar at $JAR after the build"

STAMP="$(date +%Y%m%d-%H%M%S)"
RESULTS="$BENCH_DIR/results/soak-$STAMP"
mkdir -p "$RESULTS"
SOAK_WORK="$(mktemp -d /tmp/kvsoak.XXXXXX)"
mkdir "$SOAK_WORK/redis"
RUN_ID="$(date +%s | tail -c 6)$(printf '%04x' $((RANDOM)))"

wanted="$REDIS_PORT"
REDIS_PORT="$(free_port "$REDIS_PORT")" || die "no free port from $wanted on"
[[ "$REDIS_PORT" == "$wanted" ]] || log "port $wanted is busy; the soak Redis uses $REDIS_PORT"
wanted="$APP_PORT"
APP_PORT="$(free_port "$APP_PORT")" || die "no free port from $wanted on"
[[ "$APP_PORT" == "$REDIS_PORT" ]] && { APP_PORT="$(free_port $((APP_PORT + 1)))" || die "no free port for the app"; }
[[ "$APP_PORT" == "$wanted" ]] || log "port $wanted is busy; the app uses $APP_PORT"
APP="http://$HOST:$APP_PORT"
export SOAK_WORK SOAK_RESULTS="$RESULTS" SOAK_REDIS_PORT="$REDIS_PORT" SOAK_REDIS_DOWN="$REDIS_DOWN"

# ---- 2. Redis and the app ---------------------------------------------------------------
log "starting Redis on $HOST:$REDIS_PORT (append-only, fsync always, in $SOAK_WORK/redis)"
start_redis || { tail -n 20 "$RESULTS/redis.log" >&2; die "Redis did not start"; }

{
	echo "date: $(date -Is)"
	echo "git: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ' (dirty work tree)')"
	echo "java: $("$JAVA" -version 2>&1 | head -1)"
	echo "redis: $(redis-server --version)"
	echo "cpus: $(nproc)  load before: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "run id: $RUN_ID"
	echo "DURATION=$DURATION TENANTS=$TENANTS CONCURRENCY=$CONCURRENCY KEYS_PER_WORKER=$KEYS_PER_WORKER"
	echo "RESTART=$RESTART RESTART_AT=$RESTART_AT REDIS_DOWN=$REDIS_DOWN REDIS_PORT=$REDIS_PORT APP_PORT=$APP_PORT"
} > "$RESULTS/env.txt"

cp "$JAR" "$SOAK_WORK/app.jar" # a rebuild during the run must not pull classes from under the app
log "starting the app on $APP (log: $RESULTS/app.log)"
# TENANT_OPS_PER_SECOND and REGISTRATIONS_PER_ADDRESS lift per-tenant limits where the app has them.
# shellcheck disable=SC2086  # JAVA_OPTS is a list of words
(cd "$RESULTS" && exec env -u RABBITMQ_HOST -u REDIS_PASSWORD -u KVSTORE_DATA_DIR \
	SECRET_KEY="$(openssl rand -hex 32)" REDIS_HOST="$HOST" REDIS_PORT="$REDIS_PORT" REDIS_DB=0 \
	PORT="$APP_PORT" LOG_REQUESTS=false TENANT_OPS_PER_SECOND=0 REGISTRATIONS_PER_ADDRESS=100000 \
	"$JAVA" $JAVA_OPTS -jar "$SOAK_WORK/app.jar") > "$RESULTS/app.log" 2>&1 &
APP_PID=$!
started=$SECONDS
until curl -fsS --max-time 2 "$APP/health" > /dev/null 2>&1; do
	kill -0 "$APP_PID" 2>/dev/null || { tail -n 30 "$RESULTS/app.log" >&2; die "the app exited during start-up"; }
	((SECONDS - started < STARTUP_TIMEOUT)) || { tail -n 30 "$RESULTS/app.log" >&2; die "no /health in ${STARTUP_TIMEOUT}s"; }
	sleep 0.5
done
curl -fsS --max-time 5 "$APP/api/v1/health/ready" > /dev/null || die "the app is not ready (Redis?)"
log "app healthy after $((SECONDS - started))s"

# ---- 3. the soak --------------------------------------------------------------------------
# RESTART_CMD (env) replaces the Redis restart, e.g. to see the checks catch a loss of data.
RESTART_CMD="${RESTART_CMD:-}"
[[ -z "$RESTART_CMD" && "$RESTART" == 1 ]] && RESTART_CMD="$(printf '%q __restart-redis' "$BENCH_DIR/soak.sh")"
log "soak: ${DURATION}s of traffic, $TENANTS tenants, $CONCURRENCY workers x $KEYS_PER_WORKER keys$([[ -n "$RESTART_CMD" ]] && echo ", at ${RESTART_AT}s: $RESTART_CMD")"
# Bounded: registration, traffic, the restart, the grace period and the verification all fit in it.
SOAK_URL="$APP" DURATION="$DURATION" TENANTS="$TENANTS" CONCURRENCY="$CONCURRENCY" KEYS_PER_WORKER="$KEYS_PER_WORKER" \
	RESTART_AT="$RESTART_AT" RESTART_CMD="$RESTART_CMD" AMBIGUOUS_GRACE="$AMBIGUOUS_GRACE" RUN_ID="$RUN_ID" \
	timeout -k 10 $((DURATION + 900)) "$JAVA" -Xmx512m "$BENCH_DIR/soak/Soak.java" \
	> >(tee "$RESULTS/report.txt") 2> >(tee "$RESULTS/progress.txt" >&2) &
SOAK_PID=$!
rc=0
wait "$SOAK_PID" || rc=$?
SOAK_PID=""
sleep 0.2 # let tee finish writing
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$RESULTS/env.txt"
# What the app's log says about the restart (Lettuce logs "Reconnected to ..." at INFO).
{
	echo
	echo "app log     $(grep -c -E '^[0-9T:.-]+Z +ERROR ' "$RESULTS/app.log" || true) ERROR lines, $(grep -c -E '^[0-9T:.-]+Z +WARN ' "$RESULTS/app.log" || true) WARN lines ($RESULTS/app.log)"
	if [[ -s "$SOAK_WORK/redis-back" ]]; then
		back="$(cat "$SOAK_WORK/redis-back")"
		reconnected="$(grep -m1 -E 'Reconnected to' "$RESULTS/app.log" | cut -d' ' -f1 || true)"
		if [[ -n "$reconnected" ]]; then
			echo "reconnect   the app reconnected to Redis $(secs "$back" "$(date -d "$reconnected" +%s.%N)") s after Redis answered again ($reconnected)"
		else
			echo "reconnect   no 'Reconnected to' line in the app log"
		fi
	fi
} | tee -a "$RESULTS/report.txt"
case "$rc" in
	0) log "PASS; results in $RESULTS" ;;
	1) log "FAIL: lost or wrong writes; results in $RESULTS" ;;
	124 | 137) log "FAIL: the soak client did not finish in time; results in $RESULTS" ;;
	*) log "FAIL: the soak client exited with $rc; results in $RESULTS" ;;
esac
exit "$rc"
