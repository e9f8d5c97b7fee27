#!/usr/bin/env bash
# What one page of a listing costs in a small tenant and in a big one: the walk by prefix
# (`?prefix=&limit=100`) and the seed's numbered page, each in the middle of the key space. See
# bench/README.md. Loopback only; every step is bounded in time; stops by itself, deletes its
# tenants and waits (bounded) for the app's purge to remove their entries.
#
#   bench/walk.sh                         # 1,000 against 1,000,000 keys (~10 min)
#   BIG=100000 DURATION=5 bench/walk.sh   # quicker
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"
JAR="${JAR:-$ROOT/functions/target/kvstore-functions-0.1.0-SNAPSHOT.jar}"
JAVA="${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
SMALL="${SMALL:-1000}"                 # keys of the small tenant
BIG="${BIG:-1000000}"                  # keys of the big one (TENANT_MAX_KEYS is lifted to fit)
WARMUP="${WARMUP:-60}"                 # seconds of listing load before measuring
DURATION="${DURATION:-15}"             # seconds per measured page
PORT="${PORT:-18180}"
REDIS_PORT="${REDIS_PORT:-6379}"
PURGE_WAIT="${PURGE_WAIT:-600}"        # seconds to wait for the deleted tenants' entries to go

for name in SMALL BIG WARMUP DURATION PORT REDIS_PORT PURGE_WAIT; do
	[[ "${!name}" =~ ^[0-9]+$ ]] || { echo "walk.sh: $name must be a whole number" >&2; exit 2; }
done
((SMALL >= 200 && BIG >= SMALL && BIG % 100 == 0 && SMALL % 100 == 0)) \
	|| { echo "walk.sh: need 200 <= SMALL <= BIG, both multiples of 100" >&2; exit 2; }

log() { printf '[walk %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

APP="http://127.0.0.1:$PORT"
WORK="$(mktemp -d)"
APP_PID=""
TOKENS=()
SMALL_TENANT=""
BIG_TENANT=""
cleanup() {
	local rc=$?
	trap - EXIT
	[[ -z "$APP_PID" ]] || { kill "$APP_PID" 2>/dev/null || true; wait "$APP_PID" 2>/dev/null || true; }
	rm -rf "$WORK"
	exit "$rc"
}
trap cleanup EXIT

command -v wrk > /dev/null || die "wrk is missing (apt-get install wrk)"
[[ -f "$JAR" ]] || die "no jar at $JAR (./mvnw -B -q -DskipTests package)"
curl -s "$APP/health" > /dev/null 2>&1 && die "something already answers on $APP"

# The purge of deleted tenants runs every 2 s here, so that the big tenant's entries go within
# minutes; no limit of the app's stands in the way of filling or listing.
log "starting the app on $APP"
env SECRET_KEY="$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')" REDIS_HOST=127.0.0.1 REDIS_PORT="$REDIS_PORT" \
	PORT="$PORT" TENANT_OPS_PER_SECOND=0 TENANT_MAX_KEYS=0 REGISTRATIONS_PER_ADDRESS=0 LOG_REQUESTS=false \
	CLEANUP_CRON='*/2 * * * * *' "$JAVA" -jar "$JAR" > "$WORK/app.log" 2>&1 &
APP_PID=$!
for ((i = 0; i < 600; i++)); do
	curl -fs "$APP/health" > /dev/null 2>&1 && break
	kill -0 "$APP_PID" 2>/dev/null || { tail -n 20 "$WORK/app.log" >&2; die "the app exited"; }
	sleep 0.2
done

register() { # name -> "access-token tenant-id"
	local user="walk_$(date +%s%N)_$1"
	curl -fsS --max-time 30 -H 'Content-Type: application/json' \
		-d "{\"username\":\"$user\",\"email\":\"$user@example.com\",\"password\":\"Passw0rdX\"}" \
		"$APP/api/v1/auth/register" \
		| sed -n 's/.*"tenant_id" *: *"\([^"]*\)".*"access_token" *: *"\([^"]*\)".*/\2 \1/p'
}

fill() { # token keys: keys k0000000.. in batches of 100, 8 requests at a time
	local cfg="$WORK/fill.curl" codes
	awk -v app="$APP" -v token="$1" -v keys="$2" 'BEGIN {
		for (first = 0; first < keys; first += 100) {
			if (first > 0)
				print "next"
			items = ""
			for (k = first; k < first + 100; k++)
				items = items (k > first ? "," : "") sprintf("{\\\"key\\\":\\\"k%07d\\\",\\\"value\\\":%d}", k, k)
			printf "url = \"%s/api/v1/kv/batch\"\nheader = \"Authorization: Bearer %s\"\n", app, token
			printf "header = \"Content-Type: application/json\"\ndata = \"{\\\"items\\\":[%s]}\"\n", items
			printf "output = \"/dev/null\"\nwrite-out = \"%%{http_code}\\n\"\n"
		}
	}' > "$cfg"
	codes="$(timeout 1800 curl -sS --no-progress-meter --parallel --parallel-max 8 -K "$cfg" | sort | uniq -c)"
	[[ "$(awk '$2 != 201' <<< "$codes")" == "" ]] || die "filling answered: $codes"
}

read -r SMALL_TOKEN SMALL_TENANT <<< "$(register small)"
read -r BIG_TOKEN BIG_TENANT <<< "$(register big)"
[[ -n "$SMALL_TENANT" && -n "$BIG_TENANT" ]] || die "registration failed"
TOKENS=("$SMALL_TOKEN" "$BIG_TOKEN")
log "filling $SMALL keys and $BIG keys"
started=$SECONDS
fill "$SMALL_TOKEN" "$SMALL"
fill "$BIG_TOKEN" "$BIG"
log "filled in $((SECONDS - started)) s"

# The middle of each tenant's key space: a prefix of 100 keys there, and the numbered page there.
middle() { printf 'k%05d' $(($1 / 200)); }
declare -A URLS=(
	[walk-small]="$APP/api/v1/kv?prefix=$(middle "$SMALL")&limit=100"
	[walk-big]="$APP/api/v1/kv?prefix=$(middle "$BIG")&limit=100"
	[page-small]="$APP/api/v1/kv?page=$((SMALL / 200))&page_size=100"
	[page-big]="$APP/api/v1/kv?page=$((BIG / 200))&page_size=100"
)
declare -A TOKEN_OF=([walk-small]="$SMALL_TOKEN" [walk-big]="$BIG_TOKEN" [page-small]="$SMALL_TOKEN" [page-big]="$BIG_TOKEN")
for scenario in walk-small walk-big page-small page-big; do
	items="$(curl -fsS -H "Authorization: Bearer ${TOKEN_OF[$scenario]}" "${URLS[$scenario]}" | grep -o '"key"' | wc -l)"
	((items == 100)) || die "$scenario answered $items entries, not 100"
done

log "warming up for $WARMUP s"
for ((t = 0; t < WARMUP; t += 10)); do
	for scenario in walk-small walk-big page-small page-big; do
		wrk -t2 -c16 -d"$((10 / 4 + 1))s" -H "Authorization: Bearer ${TOKEN_OF[$scenario]}" "${URLS[$scenario]}" > /dev/null
	done
done

printf '%-11s %9s %8s %8s  %s\n' scenario "req/s" "p50 ms" "p99 ms" request
for scenario in walk-small walk-big page-small page-big; do
	wrk -t2 -c16 -d"${DURATION}s" --latency -H "Authorization: Bearer ${TOKEN_OF[$scenario]}" "${URLS[$scenario]}" > "$WORK/$scenario.txt"
	awk -v s="$scenario" -v u="${URLS[$scenario]#"$APP"}" '
		/Requests\/sec/ { rps = $2 }
		/^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 }
		function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
		END { printf "%-11s %9.0f %8.2f %8.2f  GET %s\n", s, rps, ms(p50), ms(p99), u }' "$WORK/$scenario.txt"
done

log "deleting the two tenants; the app's purge removes their entries"
for token in "${TOKENS[@]}"; do
	curl -fsS -o /dev/null -X DELETE -H "Authorization: Bearer $token" "$APP/api/v1/auth/me" || log "a deletion failed"
done
for ((i = 0; i < PURGE_WAIT; i++)); do
	[[ "$(redis-cli -p "$REDIS_PORT" ZCARD 'kv:{purge}:tenants')" == 0 ]] && break
	sleep 1
done
log "purge queue: $(redis-cli -p "$REDIS_PORT" ZCARD 'kv:{purge}:tenants') tenants left"
# A deleted tenant's audit log stays for its retention (30 days): a million events are about 500 MiB
# of a Redis that other runs share. This bench's own go now.
for tenant in "$SMALL_TENANT" "$BIG_TENANT"; do
	redis-cli -p "$REDIS_PORT" UNLINK "kv:{$tenant}:audit" "kv:{$tenant}:audit:events" "kv:{$tenant}:outbox" > /dev/null
done
