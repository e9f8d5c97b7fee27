#!/usr/bin/env bash
# What the entry scripts cost Redis: each script (get, create, update) run CALLS times through
# redis-cli --pipe against a tenant of its own, and the Redis CPU (used_cpu_user + used_cpu_sys)
# per call, median of ROUNDS; beside them, a plain HMGET of one entry's fields, the command a GET
# script wraps. The scripts are assembled as the app assembles them (LuaScripts: the clock, then
# entries.lua, then the script's own part), from the source tree. Loopback only; deletes the keys it
# made, stops by itself. See bench/README.md.
#
#   bench/script-cost.sh                   # 20000 calls x 5 rounds per script
#   CALLS=2000 ROUNDS=1 bench/script-cost.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
LUA="$ROOT/shared/src/main/resources/dev/kvstore"
CALLS="${CALLS:-20000}"
ROUNDS="${ROUNDS:-5}"
RCLI=(redis-cli -h 127.0.0.1 -p "${REDIS_PORT:-6379}" -n "${REDIS_DB:-0}")
for name in CALLS ROUNDS; do
	[[ "${!name}" =~ ^[1-9][0-9]*$ ]] || { echo "script-cost.sh: $name must be a positive whole number" >&2; exit 2; }
done
"${RCLI[@]}" PING > /dev/null || { echo "script-cost.sh: no Redis on 127.0.0.1:${REDIS_PORT:-6379}" >&2; exit 2; }

TENANT="bench-script-cost-$$-$RANDOM"
PREFIX="kv:{$TENANT}:"
WORK="$(mktemp -d /tmp/script-cost.XXXXXX)"
cleanup() {
	"${RCLI[@]}" --scan --pattern "kv:{$TENANT}:*" | xargs -r "${RCLI[@]}" UNLINK > /dev/null || true
	rm -rf "$WORK"
}
trap cleanup EXIT

redis_cpu() {
	"${RCLI[@]}" INFO cpu | awk -F: '/^used_cpu_(sys|user):/ {s += $2} END {printf "%.6f", s}'
}

# The commands on stdin, one per line with tab-separated arguments, in the Redis protocol.
as_resp() {
	awk -F'\t' '{
		printf "*%d\r\n", NF
		for (i = 1; i <= NF; i++) printf "$%d\r\n%s\r\n", length($i), $i
	}'
}

# The arguments of one entry script call, as EntryScripts sends them (ARGV[1..7], then the script's).
calls() { # kind sha round
	local kind="$1" sha="$2" round="$3"
	awk -v kind="$kind" -v sha="$sha" -v n="$CALLS" -v p="$PREFIX" -v r="$round" 'BEGIN {
		OFS = "\t"
		value = "\"" sprintf("%100s", "") "\""; gsub(/ /, "v", value)
		head = p OFS "bench-request-id" OFS "127.0.0.1" OFS "" OFS "1000000000" OFS "100000000" OFS "100000000000"
		reader = p "user" OFS p "outboxes" OFS p "rate"
		writer = reader OFS p "keys" OFS p "expiry" OFS p "outbox" OFS p "watched" OFS p "changes" OFS p "watches"
		for (i = 0; i < n; i++) {
			if (kind == "create" || kind == "seed") {
				key = (kind == "seed") ? "k-" i : "r" r "-" i
				print "EVALSHA", sha, 10, writer, p "e:" key, head, "create", key, value, "{}", ""
			} else if (kind == "update") {
				key = "k-" (i % 1000)
				print "EVALSHA", sha, 10, writer, p "e:" key, head, key, 1, value, "keep", "", 0, "", "", ""
			} else if (kind == "get") {
				key = "k-" (i % 1000)
				print "EVALSHA", sha, 4, reader, p "e:" key, head, key
			} else {
				key = "k-" (i % 1000)
				print "HMGET", p "e:" key, "value", "version", "tags", "ttl", "created", "updated", "expires", "rev"
			}
		}
	}'
}

# Redis CPU per call of one round, in microseconds.
round() { # kind sha round
	calls "$@" | as_resp > "$WORK/calls"
	local before after
	before="$(redis_cpu)"
	"${RCLI[@]}" --pipe < "$WORK/calls" > "$WORK/pipe.out"
	after="$(redis_cpu)"
	grep -q 'errors: 0,' "$WORK/pipe.out" || { echo "script-cost.sh: $1 failed: $(tail -1 "$WORK/pipe.out")" >&2; exit 1; }
	awk -v a="$before" -v b="$after" -v n="$CALLS" 'BEGIN {printf "%.1f\n", (b - a) * 1e6 / n}'
}

median() {
	sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}

script_sha() { # part
	cat "$LUA/redis/clock.lua" "$LUA/kv/entries.lua" "$LUA/kv/$1.lua" > "$WORK/$1.lua"
	"${RCLI[@]}" -x SCRIPT LOAD < "$WORK/$1.lua"
}

"${RCLI[@]}" HSET "${PREFIX}user" active 1 > /dev/null
# The 1000 entries the get, update and HMGET rounds read (k-0 ... k-999), made by the create script.
CALLS=1000 calls seed "$(script_sha create)" 0 | as_resp | "${RCLI[@]}" --pipe > /dev/null

printf '%-8s %10s   %s\n' script 'us/call' "Redis CPU per call, median of $ROUNDS rounds of $CALLS calls"
for kind in hmget get update create; do
	sha=""
	[[ "$kind" == hmget ]] || sha="$(script_sha "$kind")"
	figures=()
	for ((r = 1; r <= ROUNDS; r++)); do
		figures+=("$(round "$kind" "$sha" "$r")")
	done
	printf '%-8s %10s   %s\n' "$kind" "$(printf '%s\n' "${figures[@]}" | median)" "${figures[*]}"
done
