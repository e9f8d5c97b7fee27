#!/usr/bin/env bash
# HTTP benchmark of KVStore against the machine's Redis, with wrk, and webdis as a ceiling.
# See bench/README.md. Loopback only; every step is bounded in time; stops by itself and
# kills what it started (the apps, webdis, wrk) on exit.
#
#   bench/run.sh                          # full run (webdis, then 90 s warm-up + 5 x 20 s)
#   WARMUP=10 DURATION=3 bench/run.sh     # quick smoke check
#   VARIANTS="before=/tmp/kvstore-before.jar after=functions/target/kvstore-functions-0.1.0-SNAPSHOT.jar" \
#     bench/run.sh                        # several jars (and env settings) in one run, one table
#   PROFILER=/path/to/libasyncProfiler.so bench/run.sh   # and a CPU profile of each scenario
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"
REPO_JAR="$ROOT/functions/target/kvstore-functions-0.1.0-SNAPSHOT.jar"

# ---- parameters (env vars) ------------------------------------------------------------
WARMUP="${WARMUP:-90}"                 # seconds of mixed authenticated traffic before measuring
DURATION="${DURATION:-20}"             # seconds per measured scenario
CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-2}"
APP_PORT="${APP_PORT:-18080}"          # first port tried; the next free one is used if busy
WEBDIS_PORT="${WEBDIS_PORT:-17379}"    # not 7379: that is the Debian webdis service's port
TENANTS="${TENANTS:-64}"               # ~30k req/s over 64 tenants: < 1000 ops/s per tenant
KEYS_PER_TENANT="${KEYS_PER_TENANT:-100}"
VALUE_SIZE="${VALUE_SIZE:-100}"        # bytes of each value
REDIS_PORT="${REDIS_PORT:-6379}"       # the machine's Redis, on 127.0.0.1
REDIS_DB="${REDIS_DB:-0}"
PAUSE="${PAUSE:-2}"                    # seconds of rest between scenarios
STARTUP_TIMEOUT="${STARTUP_TIMEOUT:-180}"
REBUILD="${REBUILD:-1}"                # 0: use the repository jar as it is, if it exists
KEEP_DATA="${KEEP_DATA:-0}"            # 1: do not delete the bench tenants at the end
JAVA="${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
JAVA_OPTS="${JAVA_OPTS:-}"
PROFILER="${PROFILER:-}"               # libasyncProfiler.so: a CPU profile of each measured scenario
JAR="${JAR:-$REPO_JAR}"
# The app's limits, lifted so that the bench traffic never trips them (see bench/README.md):
# the per-tenant counter still runs on every key operation, out of reach of a one-tenant run;
# one client address registers every bench tenant.
TENANT_OPS_PER_SECOND="${TENANT_OPS_PER_SECOND:-1000000}"
REGISTRATIONS_PER_ADDRESS="${REGISTRATIONS_PER_ADDRESS:-0}"
# name=jar[:ENV=VALUE[,ENV=VALUE...]] ..., measured one after the other, each after its own webdis figure.
VARIANTS="${VARIANTS:-after=$JAR}"

HOST=127.0.0.1
WRK_TIMEOUT=5s
WARMUP_STEP=10                         # the warm-up runs as wrk runs of this many seconds

for name in WARMUP DURATION CONNECTIONS THREADS APP_PORT WEBDIS_PORT TENANTS KEYS_PER_TENANT \
	VALUE_SIZE REDIS_PORT REDIS_DB PAUSE STARTUP_TIMEOUT TENANT_OPS_PER_SECOND REGISTRATIONS_PER_ADDRESS; do
	if ! [[ "${!name}" =~ ^[0-9]+$ ]]; then
		echo "run.sh: $name must be a whole number, got '${!name}'" >&2
		exit 2
	fi
done
if ((DURATION < 1 || THREADS < 1 || CONNECTIONS < THREADS || TENANTS < 1 || KEYS_PER_TENANT < 1)); then
	echo "run.sh: need DURATION>=1, THREADS>=1, CONNECTIONS>=THREADS, TENANTS>=1, KEYS_PER_TENANT>=1" >&2
	exit 2
fi

# VARIANTS: one word per variant; relative jar paths are taken from the repository root.
V_NAMES=()
V_JARS=()
V_ENVS=()      # each: the extra env settings, separated by newlines
read -r -a specs <<< "$VARIANTS"
((${#specs[@]} > 0)) || { echo "run.sh: VARIANTS is empty" >&2; exit 2; }
for spec in "${specs[@]}"; do
	name="${spec%%=*}"
	rest="${spec#*=}"
	if [[ "$spec" != *=* || ! "$name" =~ ^[A-Za-z0-9][A-Za-z0-9_.-]{0,23}$ || -z "${rest%%:*}" ]]; then
		echo "run.sh: bad variant '$spec' (want name=jar[:ENV=VALUE[,ENV=VALUE...]], name of [A-Za-z0-9_.-], at most 24)" >&2
		exit 2
	fi
	for other in "${V_NAMES[@]}"; do
		[[ "$other" != "$name" ]] || { echo "run.sh: variant name '$name' is used twice" >&2; exit 2; }
	done
	jar="${rest%%:*}"
	[[ "$jar" == /* ]] || jar="$ROOT/$jar"
	settings=""
	if [[ "$rest" == *:* ]]; then
		IFS=, read -r -a pairs <<< "${rest#*:}"
		for pair in "${pairs[@]}"; do
			if ! [[ "$pair" =~ ^[A-Za-z_][A-Za-z0-9_]*=.*$ ]]; then
				echo "run.sh: variant $name: bad env setting '$pair' (want NAME=VALUE)" >&2
				exit 2
			fi
			case "${pair%%=*}" in
				PORT | SECRET_KEY | REDIS_HOST | REDIS_PORT | REDIS_DB)
					echo "run.sh: variant $name: ${pair%%=*} is set by the script" >&2
					exit 2
					;;
			esac
			settings+="$pair"$'\n'
		done
	fi
	V_NAMES+=("$name")
	V_JARS+=("$(realpath -m "$jar")")
	V_ENVS+=("$settings")
done

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---- cleanup: kill only what this script started ------------------------------------
APP_PID=""
WEBDIS_PID=""
WRK_PID=""
WORK_DIR=""
WEBDIS_KEY_PREFIX=""
RCLI=()

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

# Waits until the tenants' audit outboxes are empty, at most the given seconds.
wait_outboxes_empty() { # seconds tenant-id...
	local seconds="$1" i left
	shift
	for ((i = 0; i < seconds * 10; i++)); do
		left="$(printf 'XLEN kv:{%s}:outbox\n' "$@" | "${RCLI[@]}" | awk '{n += $1} END {print n + 0}')"
		((left == 0)) && return 0
		sleep 0.1
	done
	log "warning: $left audit events are still in the bench tenants' outboxes after ${seconds}s"
}

delete_webdis_keys() {
	[[ -n "$WEBDIS_KEY_PREFIX" ]] || return 0
	"${RCLI[@]}" --scan --pattern "${WEBDIS_KEY_PREFIX}*" | xargs -r "${RCLI[@]}" DEL > /dev/null || true
	WEBDIS_KEY_PREFIX=""
}

cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	stop_pid "$WRK_PID" wrk 5
	stop_pid "$WEBDIS_PID" webdis 5
	stop_pid "$APP_PID" app 30
	delete_webdis_keys
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
wait_port_free() { # port seconds
	local i
	for ((i = 0; i < $2 * 10; i++)); do
		port_busy "$1" || return 0
		sleep 0.1
	done
	return 1
}

RCLI=(redis-cli -h "$HOST" -p "$REDIS_PORT" -n "$REDIS_DB")
[[ "$("${RCLI[@]}" PING 2>/dev/null)" == PONG ]] || die "no Redis at $HOST:$REDIS_PORT"

WORK_DIR="$(mktemp -d /tmp/kvbench.XXXXXX)"   # jar copies, tokens and curl configs; removed on exit

# ---- 1. build, and copy every variant's jar --------------------------------------------
# REBUILD concerns the repository's jar only; another jar must exist as named.
build=0
for jar in "${V_JARS[@]}"; do
	if [[ "$jar" == "$(realpath -m "$REPO_JAR")" ]]; then
		[[ "$REBUILD" == 1 || ! -f "$jar" ]] && build=1
	else
		[[ -f "$jar" ]] || die "no jar at $jar"
	fi
done
if ((build)); then
	log "building the jar (./mvnw -B -q -DskipTests package)"
	(cd "$ROOT" && ./mvnw -B -q -DskipTests package)
fi
# Run copies, made now: a rebuild during the run must not pull classes from under an app, and
# every variant of one jar runs the same bytes.
V_COPIES=()
declare -A COPY_OF=()
for jar in "${V_JARS[@]}"; do
	[[ -f "$jar" ]] || die "no jar at $jar after the build"
	if [[ -z "${COPY_OF[$jar]:-}" ]]; then
		COPY_OF[$jar]="$WORK_DIR/app-${#COPY_OF[@]}.jar"
		cp "$jar" "${COPY_OF[$jar]}"
	fi
	V_COPIES+=("${COPY_OF[$jar]}")
done

# ---- results directory -------------------------------------------------------------
STAMP="$(date +%Y%m%d-%H%M%S)"
RESULTS="$BENCH_DIR/results/$STAMP"
mkdir -p "$RESULTS"
RUN_ID="$(date +%s | tail -c 6)$(printf '%04x' $((RANDOM)))"
VALUE="$(head -c "$VALUE_SIZE" < <(yes 'kvstore-benchmark-value-' | tr -d '\n'))"

wanted="$WEBDIS_PORT"
WEBDIS_PORT="$(free_port "$WEBDIS_PORT")" || die "no free port from $wanted on"
[[ "$WEBDIS_PORT" == "$wanted" ]] || log "port $wanted is busy; webdis uses $WEBDIS_PORT"
WEBDIS="http://$HOST:$WEBDIS_PORT"
APP_PORT_BASE="$APP_PORT"

# A variant as the table header and env.txt name it: "name (jar, ENV=VALUE ...)".
describe() { # index
	local jar="${V_JARS[$1]}" settings
	[[ "$jar" == "$ROOT"/* ]] && jar="${jar#"$ROOT"/}"
	settings="$(tr '\n' ' ' <<< "${V_ENVS[$1]}" | sed 's/ *$//')"
	echo "${V_NAMES[$1]} ($jar${settings:+, $settings})"
}

{
	echo "date: $(date -Is)"
	echo "git: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ' (dirty work tree)')"
	for ((v = 0; v < ${#V_NAMES[@]}; v++)); do
		echo "variant $(describe "$v"): sha256 $(sha256sum < "${V_COPIES[v]}" | cut -c1-16)"
	done
	echo "java: $("$JAVA" -version 2>&1 | head -1)"
	echo "java opts: ${JAVA_OPTS:-(none)}"
	echo "app limits: TENANT_OPS_PER_SECOND=$TENANT_OPS_PER_SECOND REGISTRATIONS_PER_ADDRESS=$REGISTRATIONS_PER_ADDRESS (others as configured)"
	echo "wrk: $(wrk -v 2>&1 | head -1)"
	echo "webdis: $(dpkg-query -W -f '${Version}' webdis 2>/dev/null || echo '?')"
	echo "redis: $("${RCLI[@]}" INFO server | tr -d '\r' | sed -n 's/^redis_version://p') on $HOST:$REDIS_PORT db $REDIS_DB"
	echo "cpus: $(nproc)  load before: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "run id: $RUN_ID"
	echo "WARMUP=$WARMUP DURATION=$DURATION CONNECTIONS=$CONNECTIONS THREADS=$THREADS PAUSE=$PAUSE"
	echo "APP_PORT=$APP_PORT WEBDIS_PORT=$WEBDIS_PORT TENANTS=$TENANTS KEYS_PER_TENANT=$KEYS_PER_TENANT VALUE_SIZE=$VALUE_SIZE"
} > "$RESULTS/env.txt"
load1="$(cut -d' ' -f1 /proc/loadavg)"
if awk -v l="$load1" 'BEGIN { exit !(l > 0.5) }'; then
	log "note: load average is $load1 before the run; other work on the cores skews the numbers"
fi

# ---- wrk -------------------------------------------------------------------------------
export BENCH_VALUE="$VALUE"
WRK_RUNS=0

run_wrk() { # output-file seconds mode url
	local out="$1" seconds="$2" mode="$3" url="$4" args rc=0
	args=(-t "$THREADS" -c "$CONNECTIONS" -d "${seconds}s" --timeout "$WRK_TIMEOUT" --latency)
	[[ "$mode" == none ]] || args+=(-s "$BENCH_DIR/kv.lua")
	WRK_RUNS=$((WRK_RUNS + 1))
	log "wrk ${out#"$RESULTS"/}: ${seconds}s, $THREADS threads, $CONNECTIONS connections → $url"
	# BENCH_RUN_ID is new for every wrk run: the keys created by one never collide with another's.
	BENCH_MODE="$mode" BENCH_RUN_ID="$RUN_ID-$WRK_RUNS" wrk "${args[@]}" "$url" > "$out" 2>&1 &
	WRK_PID=$!
	wait "$WRK_PID" || rc=$?
	WRK_PID=""
	((rc == 0)) || { cat "$out" >&2; die "wrk ${out#"$RESULTS"/} exited with $rc"; }
}

# ---- 2. webdis: the same GET with no app running, right before each variant --------------
# The machine's speed drifts by 20-25% between runs (bench/README.md): each variant is read
# against the webdis figure measured just before it, not against one figure for the whole call.
WEBDIS_KEY_PREFIX="kvbench:$RUN_ID:"
export WEBDIS_KEY_PREFIX WEBDIS_KEYS="$KEYS_PER_TENANT"
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

measure_webdis() { # out-file
	local started
	log "starting webdis on $WEBDIS"
	webdis "$RESULTS/webdis.json" > "$RESULTS/webdis.out" 2>&1 &
	WEBDIS_PID=$!
	started=$SECONDS
	until [[ "$(curl -sS --max-time 2 "$WEBDIS/GET/${WEBDIS_KEY_PREFIX}0" 2>/dev/null)" == *"$VALUE"* ]]; do
		kill -0 "$WEBDIS_PID" 2>/dev/null || { cat "$RESULTS/webdis.out" >&2; die "webdis exited during start-up"; }
		((SECONDS - started < 20)) || die "webdis did not answer in 20s"
		sleep 0.2
	done
	run_wrk "$1" "$DURATION" webdis "$WEBDIS/GET/${WEBDIS_KEY_PREFIX}0"
	stop_pid "$WEBDIS_PID" webdis 5
	WEBDIS_PID=""
	sleep "$PAUSE"
}

# ---- 3. each variant: start, tenants and keys, warm-up, scenarios, tidy up, stop --------
SCENARIOS=(health get hot put create)
declare -A REQUEST=(
	[health]="GET /health (no-op: no auth, no Redis)"
	[get]="GET /api/v1/kv/{key}, random tenant and key"
	[hot]="GET /api/v1/kv/{key}, one tenant, one key, one token"
	[put]="PUT /api/v1/kv/{key}, random tenant and key"
	[create]="POST /api/v1/kv, a new key each time"
	[webdis]="webdis GET /GET/{key}, no auth, no JSON"
)

run_variant() { # index
	local v="$1" name="${V_NAMES[$1]}" vdir="$RESULTS/${V_NAMES[$1]}" wanted started t k user body reply code
	local token key secs left n failed left_keys id
	local -a app_env tokens=() tenant_ids=() extra=()
	mkdir -p "$vdir"
	log "variant $(describe "$v")"

	# The previous variant's app has exited (stop_pid waits for it); its port must be free too.
	wait_port_free "$APP_PORT_BASE" 30 || log "port $APP_PORT_BASE is still busy"
	wanted="$APP_PORT_BASE"
	APP_PORT="$(free_port "$APP_PORT_BASE")" || die "no free port from $wanted on"
	[[ "$APP_PORT" != "$WEBDIS_PORT" ]] || APP_PORT="$(free_port $((APP_PORT + 1)))" || die "no free port for the app"
	[[ "$APP_PORT" == "$wanted" ]] || log "port $wanted is busy; the app uses $APP_PORT"
	APP="http://$HOST:$APP_PORT"

	[[ -z "${V_ENVS[v]}" ]] || mapfile -t extra < <(printf '%s' "${V_ENVS[v]}")
	app_env=(SECRET_KEY="$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')"
		REDIS_HOST="$HOST" REDIS_PORT="$REDIS_PORT" REDIS_DB="$REDIS_DB" PORT="$APP_PORT"
		TENANT_OPS_PER_SECOND="$TENANT_OPS_PER_SECOND" REGISTRATIONS_PER_ADDRESS="$REGISTRATIONS_PER_ADDRESS"
		"${extra[@]}")
	log "starting the app on $APP (log: $vdir/app.log)"
	# shellcheck disable=SC2086  # JAVA_OPTS is a list of words
	(cd "$vdir" && exec env "${app_env[@]}" "$JAVA" $JAVA_OPTS -jar "${V_COPIES[v]}") > "$vdir/app.log" 2>&1 &
	APP_PID=$!
	started=$SECONDS
	until curl -fsS --max-time 2 "$APP/health" >/dev/null 2>&1; do
		kill -0 "$APP_PID" 2>/dev/null || { tail -n 30 "$vdir/app.log" >&2; die "the app exited during start-up"; }
		((SECONDS - started < STARTUP_TIMEOUT)) || { tail -n 30 "$vdir/app.log" >&2; die "no /health in ${STARTUP_TIMEOUT}s"; }
		sleep 0.5
	done
	log "app healthy after $((SECONDS - started))s"

	# Tenants and keys: usernames carry the run id and the variant's number.
	local pool="$WORK_DIR/pool-$v.tsv"      # <access_token> TAB <key>, read by kv.lua
	: > "$pool"
	log "registering $TENANTS tenants (BCrypt: ~0.1 s each)"
	for ((t = 0; t < TENANTS; t++)); do
		user="bench_${RUN_ID}_${v}_$t"
		body="{\"username\":\"$user\",\"email\":\"$user@example.com\",\"password\":\"Passw0rdX\"}"
		reply="$(curl -sS --max-time 30 -w '\n%{http_code}' -H 'Content-Type: application/json' \
			-d "$body" "$APP/api/v1/auth/register")" || die "register $user failed"
		code="${reply##*$'\n'}"
		[[ "$code" == 201 ]] || die "register $user: HTTP $code: ${reply%$'\n'*}"
		token="$(sed -n 's/.*"access_token" *: *"\([^"]*\)".*/\1/p' <<< "${reply%$'\n'*}")"
		[[ -n "$token" ]] || die "register $user: no access_token in ${reply%$'\n'*}"
		tokens+=("$token")
		tenant_ids+=("$(sed -n 's/.*"tenant_id" *: *"\([^"]*\)".*/\1/p' <<< "${reply%$'\n'*}")")
	done

	log "creating $KEYS_PER_TENANT keys per tenant ($((TENANTS * KEYS_PER_TENANT)) in all)"
	local curl_cfg="$WORK_DIR/create-keys-$v.curl" codes created
	: > "$curl_cfg"
	for ((t = 0; t < TENANTS; t++)); do
		for ((k = 0; k < KEYS_PER_TENANT; k++)); do
			key="bk-$k"
			printf '%s\t%s\n' "${tokens[t]}" "$key" >> "$pool"
			[[ ! -s "$curl_cfg" ]] || echo next >> "$curl_cfg"
			cat >> "$curl_cfg" <<-EOF
				url = "$APP/api/v1/kv"
				request = "POST"
				header = "Authorization: Bearer ${tokens[t]}"
				header = "Content-Type: application/json"
				data = "{\\"key\\":\\"$key\\",\\"value\\":\\"$VALUE\\",\\"ttl\\":86400,\\"tags\\":{\\"t\\":\\"x\\"}}"
				output = "/dev/null"
				write-out = "%{http_code}\\n"
				max-time = 30
			EOF
		done
	done
	codes="$(timeout 600 curl -sS --no-progress-meter --parallel --parallel-max 8 -K "$curl_cfg" \
		2> "$WORK_DIR/create-keys.err")" || { head -n 20 "$WORK_DIR/create-keys.err" >&2; die "creating the keys failed"; }
	created="$(grep -c '^201$' <<< "$codes" || true)"
	if ((created != TENANTS * KEYS_PER_TENANT)); then
		sort <<< "$codes" | uniq -c >&2
		die "only $created of $((TENANTS * KEYS_PER_TENANT)) keys were created"
	fi

	# The hot key: tenant 0's bk-0 (a value of VALUE_SIZE bytes), its token on every connection.
	export BENCH_POOL="$pool" BENCH_HOT_TOKEN="${tokens[0]}" BENCH_HOT_KEY="bk-0"

	# One request of each kind by hand, so that a broken endpoint shows here and not as a
	# column of non-2xx in the table.
	local -a auth=(-H "Authorization: Bearer ${tokens[0]}")
	check 200 "${auth[@]}" "$APP/api/v1/kv/bk-0"
	check 200 "${auth[@]}" -X PUT -H 'Content-Type: application/json' -d "{\"value\":\"$VALUE\"}" "$APP/api/v1/kv/bk-0"
	check 201 "${auth[@]}" -H 'Content-Type: application/json' \
		-d "{\"key\":\"check-$RUN_ID\",\"value\":\"$VALUE\",\"ttl\":3600,\"tags\":{\"t\":\"x\"}}" "$APP/api/v1/kv"

	# Warm-up: consecutive wrk runs of WARMUP_STEP seconds (the last one shorter if WARMUP is not
	# a multiple), so that the warm-up's own throughput shows how far the JIT has come.
	left="$WARMUP"
	n=0
	while ((left > 0)); do
		secs=$((left < WARMUP_STEP ? left : WARMUP_STEP))
		n=$((n + 1))
		run_wrk "$vdir/$(printf 'warmup-%02d' "$n").txt" "$secs" warmup "$APP/api/v1/kv/bk-0"
		left=$((left - secs))
	done
	((WARMUP == 0)) || sleep "$PAUSE"

	measure "$vdir" health none "$APP/health"; sleep "$PAUSE"
	measure "$vdir" get get "$APP/api/v1/kv/bk-0"; sleep "$PAUSE"
	measure "$vdir" hot hot "$APP/api/v1/kv/bk-0"; sleep "$PAUSE"
	measure "$vdir" put put "$APP/api/v1/kv/bk-0"; sleep "$PAUSE"
	measure "$vdir" create create "$APP/api/v1/kv"

	# Tidy up the data this variant made.
	if [[ "$KEEP_DATA" != 1 ]]; then
		log "deleting the $TENANTS bench tenants of $name and their keys"
		failed=0
		for token in "${tokens[@]}"; do
			code="$(curl -sS --max-time 60 -o /dev/null -w '%{http_code}' -X DELETE \
				-H "Authorization: Bearer $token" "$APP/api/v1/auth/me")" || code=000
			[[ "$code" == 204 ]] || failed=$((failed + 1))
		done
		((failed == 0)) || log "warning: $failed tenant deletions did not answer 204"
		# The app relays audit events after it has answered: stopping it now would leave the last
		# ones in the outboxes, for the next app on this Redis to relay ahead of its own work.
		wait_outboxes_empty 60 "${tenant_ids[@]}"
		# A deleted tenant's audit log stays for its retention (30 days): a variant's writes
		# leave hundreds of MiB of it in a Redis that other runs share. The bench's own go now.
		for id in "${tenant_ids[@]}"; do
			[[ -z "$id" ]] || "${RCLI[@]}" UNLINK "kv:{$id}:audit" "kv:{$id}:audit:events" > /dev/null
		done
		# What a deleted tenant leaves in Redis (the app's key layout: kv:{<tenant>}:...), in one
		# scan: a scan per tenant read a Redis of earlier runs' 450k keys 64 times (3 min).
		left_keys="$("${RCLI[@]}" --scan --pattern 'kv:{*' \
			| grep -cF -f <(printf 'kv:{%s}:\n' "${tenant_ids[@]}" | grep -v '^kv:{}:$') || true)"
		((left_keys == 0)) || log "note: $left_keys Redis keys of the deleted bench tenants remain"
	fi

	stop_pid "$APP_PID" app 30
	APP_PID=""
	wait_port_free "$APP_PORT" 30 || die "port $APP_PORT is still busy after the app of $name exited"
}

# One measured scenario; with PROFILER set, async-profiler samples the app's CPU (itimer, 1 ms, by thread)
# for its whole run and writes <scenario>.collapsed beside its wrk output.
measure() { # variant-dir scenario wrk-mode url
	local vdir="$1" scenario="$2" jcmd
	jcmd="$(dirname "$JAVA")/jcmd"
	[[ -z "$PROFILER" ]] || "$jcmd" "$APP_PID" JVMTI.agent_load "$PROFILER" '"start,event=itimer,interval=1ms,threads"' > /dev/null \
		|| die "async-profiler could not start in the app ($PROFILER)"
	run_wrk "$vdir/$scenario.txt" "$DURATION" "$3" "$4"
	[[ -z "$PROFILER" ]] || "$jcmd" "$APP_PID" JVMTI.agent_load "$PROFILER" "\"stop,file=$vdir/$scenario.collapsed,collapsed\"" > /dev/null \
		|| die "async-profiler could not stop in the app"
}

check() { # expected-code curl-args...
	local want="$1" got
	shift
	got="$(curl -sS --max-time 10 -o "$WORK_DIR/check.out" -w '%{http_code}' "$@")" || die "curl $* failed"
	[[ "$got" == "$want" ]] || die "$* → HTTP $got (want $want): $(head -c 300 "$WORK_DIR/check.out")"
}

for ((v = 0; v < ${#V_NAMES[@]}; v++)); do
	mkdir -p "$RESULTS/${V_NAMES[v]}"
	measure_webdis "$RESULTS/${V_NAMES[v]}/webdis.txt"
	run_variant "$v"
	((v == ${#V_NAMES[@]} - 1)) || sleep "$PAUSE"
done

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

declare -A RPS P99
TABLE="$RESULTS/table.txt"
SUMMARY="$RESULTS/summary.tsv"   # the same figures, tab-separated, one line per wrk run
w=7                              # width of the variant column
for name in "${V_NAMES[@]}"; do ((${#name} <= w)) || w=${#name}; done
ROW='%-*s %-8s %11s %9s %9s %10s %11s %9s  %s\n'
WARNINGS=()

row() { # variant scenario file request
	local rps p50 p99 total bad errors
	read -r rps p50 p99 total bad errors < <(parse_wrk "$3")
	RPS[$1/$2]="$rps"
	P99[$1/$2]="$p99"
	# shellcheck disable=SC2059  # ROW is the constant row format
	printf "$ROW" "$w" "$1" "$2" "$rps" "$p50" "$p99" "$total" "$bad" "$errors" "$4"
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$rps" "$p50" "$p99" "$total" "$bad" "$errors" >> "$SUMMARY"
	((bad == 0)) || WARNINGS+=("WARNING: $1 $2 had $bad non-2xx/3xx responses (see ${3#"$RESULTS"/})")
	((errors == 0)) || WARNINGS+=("note: $1 $2 had $errors socket errors (see ${3#"$RESULTS"/})")
}

printf 'variant\tscenario\treq/s\tp50_ms\tp99_ms\trequests\tnon_2xx_3xx\tsocket_errors\n' > "$SUMMARY"
{
	echo "KVStore HTTP benchmark $STAMP: wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --timeout $WRK_TIMEOUT, warm-up ${WARMUP}s per variant"
	echo "$TENANTS tenants x $KEYS_PER_TENANT keys, values ${VALUE_SIZE} B; TENANT_OPS_PER_SECOND=$TENANT_OPS_PER_SECOND; app and wrk share $(nproc) cores: compare within one run only"
	for ((v = 0; v < ${#V_NAMES[@]}; v++)); do echo "variant $(describe "$v")"; done
	echo
	# shellcheck disable=SC2059
	printf "$ROW" "$w" variant scenario "req/s" "p50 ms" "p99 ms" requests "non-2xx/3xx" "sock-err" request
	for name in "${V_NAMES[@]}"; do
		for s in "${SCENARIOS[@]}" webdis; do
			row "$name" "$s" "$RESULTS/$name/$s.txt" "${REQUEST[$s]}"
		done
	done

	echo
	if ((WARMUP > 0)); then
		echo "warm-up per ${WARMUP_STEP} s (req/s, 80% GET, 10% PUT, 10% create):"
		for name in "${V_NAMES[@]}"; do
			figures=()
			for f in "$RESULTS/$name"/warmup-*.txt; do
				read -r rps p50 p99 total bad errors < <(parse_wrk "$f")
				figures+=("$(printf '%.0f' "$rps")")
				scenario="$(basename "$f" .txt)"
				printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$scenario" "$rps" "$p50" "$p99" "$total" "$bad" "$errors" >> "$SUMMARY"
				((bad == 0)) || WARNINGS+=("WARNING: $name $scenario had $bad non-2xx/3xx responses (see $name/$scenario.txt)")
			done
			last=$((WARMUP % WARMUP_STEP))
			joined="$(IFS=,; echo "${figures[*]}")"
			printf '%-*s %s%s\n' "$w" "$name" "${joined//,/, }" "$( ((last == 0)) || { ((${#figures[@]} == 1)) && echo " (over ${last} s)"; } || echo " (the last over ${last} s)")"
		done
		echo
	fi

	echo "req/s as a share of the webdis GET measured just before the variant; p99 in ms; random-key GET req/s per tenant ($TENANTS tenants):"
	printf '%-*s %7s %7s %7s %7s %7s %11s %11s %14s %9s\n' "$w" variant health get hot put create "get p99" "hot p99" "get/tenant" webdis
	for name in "${V_NAMES[@]}"; do
		awk -v w="$w" -v n="$name" -v b="${RPS[$name/webdis]}" -v t="$TENANTS" \
			-v h="${RPS[$name/health]}" -v g="${RPS[$name/get]}" -v o="${RPS[$name/hot]}" \
			-v p="${RPS[$name/put]}" -v c="${RPS[$name/create]}" \
			-v gp="${P99[$name/get]}" -v op="${P99[$name/hot]}" '
			function r(x) { return (b > 0) ? sprintf("%.3f", x / b) : "-" }
			BEGIN {
				printf "%-" w "s %7s %7s %7s %7s %7s %11.2f %11.2f %14.1f %9.0f\n", n, r(h), r(g), r(o), r(p), r(c), gp, op, g / t, b
			}'
	done
	for line in "${WARNINGS[@]}"; do echo "$line"; done
	echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$TABLE"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$RESULTS/env.txt"
log "results in $RESULTS"
