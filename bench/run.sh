#!/usr/bin/env bash
# HTTP benchmark of KVStore against the machine's Redis, with wrk, and webdis as a ceiling.
# See bench/README.md. Loopback only; every step is bounded in time; stops by itself and
# kills what it started (the app, webdis, wrk) on exit.
#
#   bench/run.sh                          # full run (~45 s warm-up + 5 x 30 s)
#   WARMUP=5 DURATION=5 bench/run.sh      # quick smoke check
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"

# ---- parameters (env vars) ------------------------------------------------------------
WARMUP="${WARMUP:-45}"                 # seconds of mixed authenticated traffic before measuring
DURATION="${DURATION:-30}"             # seconds per measured scenario
CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-2}"
APP_PORT="${APP_PORT:-18080}"          # first port tried; the next free one is used if busy
WEBDIS_PORT="${WEBDIS_PORT:-17379}"    # not 7379: that is the Debian webdis service's port
TENANTS="${TENANTS:-32}"
KEYS_PER_TENANT="${KEYS_PER_TENANT:-100}"
VALUE_SIZE="${VALUE_SIZE:-100}"        # bytes of each value
REDIS_PORT="${REDIS_PORT:-6379}"       # the machine's Redis, on 127.0.0.1
REDIS_DB="${REDIS_DB:-0}"
PAUSE="${PAUSE:-2}"                    # seconds of rest between scenarios
STARTUP_TIMEOUT="${STARTUP_TIMEOUT:-180}"
REBUILD="${REBUILD:-1}"                # 0: use the jar as it is, if it exists
KEEP_DATA="${KEEP_DATA:-0}"            # 1: do not delete the bench tenants at the end
JAVA="${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
JAVA_OPTS="${JAVA_OPTS:-}"
JAR="${JAR:-$ROOT/functions/target/kvstore-functions-0.1.0-SNAPSHOT.jar}"

HOST=127.0.0.1
WRK_TIMEOUT=5s

for name in WARMUP DURATION CONNECTIONS THREADS APP_PORT WEBDIS_PORT TENANTS KEYS_PER_TENANT \
	VALUE_SIZE REDIS_PORT REDIS_DB PAUSE STARTUP_TIMEOUT; do
	if ! [[ "${!name}" =~ ^[0-9]+$ ]]; then
		echo "run.sh: $name must be a whole number, got '${!name}'" >&2
		exit 2
	fi
done
if ((DURATION < 1 || THREADS < 1 || CONNECTIONS < THREADS || TENANTS < 1 || KEYS_PER_TENANT < 1)); then
	echo "run.sh: need DURATION>=1, THREADS>=1, CONNECTIONS>=THREADS, TENANTS>=1, KEYS_PER_TENANT>=1" >&2
	exit 2
fi

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---- cleanup: kill only what this script started ------------------------------------
APP_PID=""
WEBDIS_PID=""
WRK_PID=""
WORK_DIR=""

stop_pid() { # pid name seconds
	local pid="$1" name="$2" grace="$3" i
	[[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
	log "stopping $name (pid $pid)"
	kill -TERM "$pid" 2>/dev/null || true
	for ((i = 0; i < grace * 10; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		log "$name did not stop in ${grace}s; killing it"
		kill -KILL "$pid" 2>/dev/null || true
	fi
	wait "$pid" 2>/dev/null || true
}

cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	stop_pid "$WRK_PID" wrk 5
	stop_pid "$WEBDIS_PID" webdis 5
	stop_pid "$APP_PID" app 30
	[[ -n "$WORK_DIR" ]] && rm -rf "$WORK_DIR"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- tools ---------------------------------------------------------------------------
apt_install() { # package...
	log "installing $* (apt-get)"
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y "$@" >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y "$@" >/dev/null; }
}
command -v wrk >/dev/null 2>&1 || apt_install wrk
command -v webdis >/dev/null 2>&1 || apt_install webdis
command -v redis-cli >/dev/null 2>&1 || apt_install redis-tools
command -v curl >/dev/null 2>&1 || apt_install curl
[[ -x "$JAVA" ]] || die "no Java at $JAVA (set JAVA=/path/to/java, 21 or later)"

port_busy() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }
free_port() { # first free port from $1 on
	local port="$1" tries
	for ((tries = 0; tries < 100; tries++, port++)); do
		port_busy "$port" || { echo "$port"; return 0; }
	done
	return 1
}

RCLI=(redis-cli -h "$HOST" -p "$REDIS_PORT" -n "$REDIS_DB")
[[ "$("${RCLI[@]}" PING 2>/dev/null)" == PONG ]] || die "no Redis at $HOST:$REDIS_PORT"

# ---- results directory -------------------------------------------------------------
STAMP="$(date +%Y%m%d-%H%M%S)"
RESULTS="$BENCH_DIR/results/$STAMP"
mkdir -p "$RESULTS"
WORK_DIR="$(mktemp -d /tmp/kvbench.XXXXXX)"   # tokens and curl configs; removed on exit
RUN_ID="$(date +%s | tail -c 6)$(printf '%04x' $((RANDOM)))"
VALUE="$(head -c "$VALUE_SIZE" < <(yes 'kvstore-benchmark-value-' | tr -d '\n'))"

# ---- 1. build and start the app ----------------------------------------------------
if [[ "$REBUILD" == 1 || ! -f "$JAR" ]]; then
	log "building the jar (./mvnw -B -q -DskipTests package)"
	(cd "$ROOT" && ./mvnw -B -q -DskipTests package)
fi
[[ -f "$JAR" ]] || die "no jar at $JAR after the build"

wanted="$APP_PORT"
APP_PORT="$(free_port "$APP_PORT")" || die "no free port from $wanted on"
[[ "$APP_PORT" == "$wanted" ]] || log "port $wanted is busy; the app uses $APP_PORT"
wanted="$WEBDIS_PORT"
WEBDIS_PORT="$(free_port "$WEBDIS_PORT")" || die "no free port from $wanted on"
[[ "$WEBDIS_PORT" == "$wanted" ]] || log "port $wanted is busy; webdis uses $WEBDIS_PORT"
if [[ "$WEBDIS_PORT" == "$APP_PORT" ]]; then
	WEBDIS_PORT="$(free_port $((APP_PORT + 1)))" || die "no free port for webdis"
fi
APP="http://$HOST:$APP_PORT"
WEBDIS="http://$HOST:$WEBDIS_PORT"

{
	echo "date: $(date -Is)"
	echo "git: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ' (dirty work tree)')"
	echo "jar: $JAR ($(date -r "$JAR" -Is))"
	echo "java: $("$JAVA" -version 2>&1 | head -1)"
	echo "java opts: ${JAVA_OPTS:-(none)}"
	echo "wrk: $(wrk -v 2>&1 | head -1)"
	echo "webdis: $(dpkg-query -W -f '${Version}' webdis 2>/dev/null || echo '?')"
	echo "redis: $("${RCLI[@]}" INFO server | tr -d '\r' | sed -n 's/^redis_version://p') on $HOST:$REDIS_PORT db $REDIS_DB"
	echo "cpus: $(nproc)  load before: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "run id: $RUN_ID"
	echo "WARMUP=$WARMUP DURATION=$DURATION CONNECTIONS=$CONNECTIONS THREADS=$THREADS"
	echo "APP_PORT=$APP_PORT WEBDIS_PORT=$WEBDIS_PORT TENANTS=$TENANTS KEYS_PER_TENANT=$KEYS_PER_TENANT VALUE_SIZE=$VALUE_SIZE"
} > "$RESULTS/env.txt"
load1="$(cut -d' ' -f1 /proc/loadavg)"
if awk -v l="$load1" 'BEGIN { exit !(l > 0.5) }'; then
	log "note: load average is $load1 before the run; other work on the cores skews the numbers"
fi

# Run a copy: a rebuild of the jar during the run must not pull classes from under the app.
cp "$JAR" "$WORK_DIR/app.jar"
log "starting the app on $APP (log: $RESULTS/app.log)"
SECRET_KEY="$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')"
# shellcheck disable=SC2086  # JAVA_OPTS is a list of words
# One client registers every bench tenant: lift the per-address registration limit (the other
# limits stay as configured by default).
(cd "$RESULTS" && SECRET_KEY="$SECRET_KEY" REDIS_HOST="$HOST" REDIS_PORT="$REDIS_PORT" REDIS_DB="$REDIS_DB" \
	REGISTRATIONS_PER_ADDRESS="${REGISTRATIONS_PER_ADDRESS:-0}" \
	PORT="$APP_PORT" exec "$JAVA" $JAVA_OPTS -jar "$WORK_DIR/app.jar") > "$RESULTS/app.log" 2>&1 &
APP_PID=$!
started=$SECONDS
until curl -fsS --max-time 2 "$APP/health" >/dev/null 2>&1; do
	kill -0 "$APP_PID" 2>/dev/null || { tail -n 30 "$RESULTS/app.log" >&2; die "the app exited during start-up"; }
	((SECONDS - started < STARTUP_TIMEOUT)) || { tail -n 30 "$RESULTS/app.log" >&2; die "no /health in ${STARTUP_TIMEOUT}s"; }
	sleep 0.5
done
log "app healthy after $((SECONDS - started))s"

# ---- 2. tenants and keys -------------------------------------------------------------
POOL="$WORK_DIR/pool.tsv"      # <access_token> TAB <key>, read by kv.lua
: > "$POOL"
TOKENS=()
TENANT_IDS=()
log "registering $TENANTS tenants (BCrypt: ~0.1 s each)"
for ((t = 0; t < TENANTS; t++)); do
	user="bench_${RUN_ID}_$t"
	body="{\"username\":\"$user\",\"email\":\"$user@example.com\",\"password\":\"Passw0rdX\"}"
	reply="$(curl -sS --max-time 30 -w '\n%{http_code}' -H 'Content-Type: application/json' \
		-d "$body" "$APP/api/v1/auth/register")" || die "register $user failed"
	code="${reply##*$'\n'}"
	[[ "$code" == 201 ]] || die "register $user: HTTP $code: ${reply%$'\n'*}"
	token="$(sed -n 's/.*"access_token" *: *"\([^"]*\)".*/\1/p' <<< "${reply%$'\n'*}")"
	[[ -n "$token" ]] || die "register $user: no access_token in ${reply%$'\n'*}"
	TOKENS+=("$token")
	TENANT_IDS+=("$(sed -n 's/.*"tenant_id" *: *"\([^"]*\)".*/\1/p' <<< "${reply%$'\n'*}")")
done

log "creating $KEYS_PER_TENANT keys per tenant ($((TENANTS * KEYS_PER_TENANT)) in all)"
CURL_CFG="$WORK_DIR/create-keys.curl"
: > "$CURL_CFG"
for ((t = 0; t < TENANTS; t++)); do
	for ((k = 0; k < KEYS_PER_TENANT; k++)); do
		key="bk-$k"
		printf '%s\t%s\n' "${TOKENS[t]}" "$key" >> "$POOL"
		[[ ! -s "$CURL_CFG" ]] || echo next >> "$CURL_CFG"
		cat >> "$CURL_CFG" <<-EOF
			url = "$APP/api/v1/kv"
			request = "POST"
			header = "Authorization: Bearer ${TOKENS[t]}"
			header = "Content-Type: application/json"
			data = "{\\"key\\":\\"$key\\",\\"value\\":\\"$VALUE\\",\\"ttl\\":86400,\\"tags\\":{\\"t\\":\\"x\\"}}"
			output = "/dev/null"
			write-out = "%{http_code}\\n"
			max-time = 30
		EOF
	done
done
codes="$(timeout 600 curl -sS --no-progress-meter --parallel --parallel-max 8 -K "$CURL_CFG" \
	2> "$WORK_DIR/create-keys.err")" || { head -n 20 "$WORK_DIR/create-keys.err" >&2; die "creating the keys failed"; }
created="$(grep -c '^201$' <<< "$codes" || true)"
if ((created != TENANTS * KEYS_PER_TENANT)); then
	sort <<< "$codes" | uniq -c >&2
	die "only $created of $((TENANTS * KEYS_PER_TENANT)) keys were created"
fi

# One request of each kind by hand, so that a broken endpoint shows here and not as a
# column of non-2xx in the table.
check() { # expected-code curl-args...
	local want="$1" got
	shift
	got="$(curl -sS --max-time 10 -o "$WORK_DIR/check.out" -w '%{http_code}' "$@")" || die "curl $* failed"
	[[ "$got" == "$want" ]] || die "$* → HTTP $got (want $want): $(head -c 300 "$WORK_DIR/check.out")"
}
AUTH=(-H "Authorization: Bearer ${TOKENS[0]}")
check 200 "${AUTH[@]}" "$APP/api/v1/kv/bk-0"
check 200 "${AUTH[@]}" -X PUT -H 'Content-Type: application/json' -d "{\"value\":\"$VALUE\"}" "$APP/api/v1/kv/bk-0"
check 201 "${AUTH[@]}" -H 'Content-Type: application/json' \
	-d "{\"key\":\"check-$RUN_ID\",\"value\":\"$VALUE\",\"ttl\":3600,\"tags\":{\"t\":\"x\"}}" "$APP/api/v1/kv"

# ---- webdis --------------------------------------------------------------------------
WEBDIS_KEY_PREFIX="kvbench:$RUN_ID:"
WEBDIS_KEYS="$KEYS_PER_TENANT"
for ((k = 0; k < WEBDIS_KEYS; k++)); do
	printf 'SET %s%s %s EX 86400\n' "$WEBDIS_KEY_PREFIX" "$k" "$VALUE"
done | "${RCLI[@]}" > /dev/null
cat > "$RESULTS/webdis.json" <<EOF
{
	"redis_host": "$HOST",
	"redis_port": $REDIS_PORT,
	"redis_auth": null,
	"http_host": "$HOST",
	"http_port": $WEBDIS_PORT,
	"threads": 2,
	"daemonize": false,
	"database": $REDIS_DB,
	"acl": [ { "disabled": ["DEBUG", "FLUSHDB", "FLUSHALL", "CONFIG", "SHUTDOWN"] } ],
	"verbosity": 1,
	"logfile": "$RESULTS/webdis.log"
}
EOF
log "starting webdis on $WEBDIS"
webdis "$RESULTS/webdis.json" > "$RESULTS/webdis.out" 2>&1 &
WEBDIS_PID=$!
started=$SECONDS
until [[ "$(curl -sS --max-time 2 "$WEBDIS/GET/${WEBDIS_KEY_PREFIX}0" 2>/dev/null)" == *"$VALUE"* ]]; do
	kill -0 "$WEBDIS_PID" 2>/dev/null || { cat "$RESULTS/webdis.out" >&2; die "webdis exited during start-up"; }
	((SECONDS - started < 20)) || die "webdis did not answer in 20s"
	sleep 0.2
done

# ---- 3. wrk runs ---------------------------------------------------------------------
export BENCH_POOL="$POOL" BENCH_RUN_ID="$RUN_ID" BENCH_VALUE="$VALUE"
export WEBDIS_KEY_PREFIX WEBDIS_KEYS

run_wrk() { # name seconds mode url
	local name="$1" seconds="$2" mode="$3" url="$4" args rc=0
	args=(-t "$THREADS" -c "$CONNECTIONS" -d "${seconds}s" --timeout "$WRK_TIMEOUT" --latency)
	[[ "$mode" == none ]] || args+=(-s "$BENCH_DIR/kv.lua")
	log "wrk $name: ${seconds}s, $THREADS threads, $CONNECTIONS connections → $url"
	BENCH_MODE="$mode" wrk "${args[@]}" "$url" > "$RESULTS/$name.txt" 2>&1 &
	WRK_PID=$!
	wait "$WRK_PID" || rc=$?
	WRK_PID=""
	((rc == 0)) || { cat "$RESULTS/$name.txt" >&2; die "wrk $name exited with $rc"; }
}

if ((WARMUP > 0)); then
	run_wrk warmup "$WARMUP" warmup "$APP/api/v1/kv/bk-0"
	sleep "$PAUSE"
fi
SCENARIOS=(health get put create webdis)
declare -A LABEL=(
	[health]="no-op GET /health"
	[get]="auth GET /api/v1/kv/{key}"
	[put]="auth PUT /api/v1/kv/{key}"
	[create]="auth POST /api/v1/kv"
	[webdis]="webdis GET /GET/{key}"
)
run_wrk health "$DURATION" none "$APP/health"; sleep "$PAUSE"
run_wrk get "$DURATION" get "$APP/api/v1/kv/bk-0"; sleep "$PAUSE"
run_wrk put "$DURATION" put "$APP/api/v1/kv/bk-0"; sleep "$PAUSE"
run_wrk create "$DURATION" create "$APP/api/v1/kv"; sleep "$PAUSE"
run_wrk webdis "$DURATION" webdis "$WEBDIS/GET/${WEBDIS_KEY_PREFIX}0"

# ---- 4. table ------------------------------------------------------------------------
# One line per wrk output: req/s p50(ms) p99(ms) requests non-2xx/3xx socket-errors
parse_wrk() {
	awk '
		function ms(t,   n, u) {
			n = t + 0; u = t; sub(/^[0-9.]+/, "", u)
			if (u == "us") return n / 1000
			if (u == "ms") return n
			if (u == "s") return n * 1000
			if (u == "m") return n * 60000
			if (u == "h") return n * 3600000
			return -1
		}
		/^[ \t]+50%/ { p50 = ms($2) }
		/^[ \t]+99%/ { p99 = ms($2) }
		/requests in/ { total = $1 }
		/^Requests\/sec:/ { rps = $2 }
		/Non-2xx or 3xx responses:/ { bad = $NF }
		/Socket errors:/ { gsub(/,/, ""); errors = $4 + $6 + $8 + $10 }
		END { printf "%.1f %.2f %.2f %d %d %d\n", rps, p50, p99, total, bad, errors }
	' "$1"
}

declare -A RPS BAD
TABLE="$RESULTS/table.txt"
{
	echo "KVStore HTTP benchmark $STAMP: wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --timeout $WRK_TIMEOUT (warm-up ${WARMUP}s)"
	echo "tenants $TENANTS x $KEYS_PER_TENANT keys, values ${VALUE_SIZE} B; app and wrk share $(nproc) cores: compare within one run only"
	echo
	printf '%-28s %11s %9s %9s %10s %11s %9s\n' scenario "req/s" "p50 ms" "p99 ms" requests "non-2xx/3xx" "sock-err"
	for s in "${SCENARIOS[@]}"; do
		read -r rps p50 p99 total bad errors < <(parse_wrk "$RESULTS/$s.txt")
		RPS[$s]="$rps"
		BAD[$s]="$bad"
		printf '%-28s %11s %9s %9s %10s %11s %9s\n' "${LABEL[$s]}" "$rps" "$p50" "$p99" "$total" "$bad" "$errors"
	done
	echo
	awk -v a="${RPS[get]}" -v b="${RPS[webdis]}" -v h="${RPS[health]}" 'BEGIN {
		if (b > 0) printf "auth GET / webdis GET req/s ratio: %.3f\n", a / b
		if (h > 0) printf "auth GET / no-op /health req/s ratio: %.3f\n", a / h
	}'
	if [[ -f "$RESULTS/warmup.txt" ]]; then
		read -r _ _ _ _ "BAD[warmup]" _ < <(parse_wrk "$RESULTS/warmup.txt")
		SCENARIOS+=(warmup)
	fi
	for s in "${SCENARIOS[@]}"; do
		((BAD[$s] == 0)) || echo "WARNING: $s had ${BAD[$s]} non-2xx/3xx responses (see $s.txt)"
	done
	echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$TABLE"

# ---- 5. tidy up the data this run made -----------------------------------------------
"${RCLI[@]}" --scan --pattern "${WEBDIS_KEY_PREFIX}*" | xargs -r "${RCLI[@]}" DEL > /dev/null || true
if [[ "$KEEP_DATA" != 1 ]]; then
	log "deleting the $TENANTS bench tenants and their keys"
	failed=0
	for token in "${TOKENS[@]}"; do
		code="$(curl -sS --max-time 60 -o /dev/null -w '%{http_code}' -X DELETE \
			-H "Authorization: Bearer $token" "$APP/api/v1/auth/me")" || code=000
		[[ "$code" == 204 ]] || failed=$((failed + 1))
	done
	((failed == 0)) || log "warning: $failed tenant deletions did not answer 204"
	# What a deleted tenant leaves in Redis (the app's key layout: kv:{<tenant>}:...).
	left=0
	for id in "${TENANT_IDS[@]}"; do
		[[ -n "$id" ]] || continue
		left=$((left + $("${RCLI[@]}" --scan --pattern "kv:{$id}:*" | wc -l)))
	done
	((left == 0)) || log "note: $left Redis keys of the deleted bench tenants remain"
fi
log "results in $RESULTS"
