#!/usr/bin/env bash
# A long HTTP fuzz run: the suite's HttpFuzzTests with a larger count (and any seed), against
# the machine's Redis. See bench/README.md. The test starts the app on a random port and stops
# it; Maven and the test are the only processes this script starts.
#
#   bench/fuzz.sh                         # 100000 requests, the suite's seed
#   COUNT=20000 SEED=7 bench/fuzz.sh      # another seed, fewer requests
#   WELL_FORMED=0 bench/fuzz.sh           # without the heap comparison
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"

COUNT="${COUNT:-100000}"
SEED="${SEED:-20261126}"               # the suite's seed: its first 2000 requests are the suite's
WELL_FORMED="${WELL_FORMED:-20000}"    # well-formed requests first, to compare the heap after each run

if ! [[ "$COUNT" =~ ^[0-9]+$ && "$WELL_FORMED" =~ ^[0-9]+$ && "$SEED" =~ ^-?[0-9]+$ ]]; then
	echo "fuzz.sh: COUNT and WELL_FORMED must be whole numbers and SEED an integer" >&2
	exit 2
fi

RESULTS="$BENCH_DIR/results/fuzz-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$RESULTS"
log() { printf '[fuzz %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

summaries="$ROOT/functions/target/fuzz"
rm -f "$summaries"/summary-"$SEED-$COUNT"-*.txt
log "$COUNT requests, seed $SEED, after $WELL_FORMED well-formed ones; Maven output in $RESULTS/maven.log"
status=0
(cd "$ROOT" && ./mvnw -B -pl functions -am test -Dtest=HttpFuzzTests -Dsurefire.failIfNoSpecifiedTests=false \
	-Dfuzz.count="$COUNT" -Dfuzz.seed="$SEED" -Dfuzz.wellFormed="$WELL_FORMED" \
	-Dtest.timeout="90 m" -Dtest.fork.timeout=6000) >"$RESULTS/maven.log" 2>&1 || status=$?

for topology in redis cluster; do             # the suite runs every test on both
	summary="$summaries/summary-$SEED-$COUNT-$topology.txt"
	if [[ -f "$summary" ]]; then
		cp "$summary" "$RESULTS/summary-$topology.txt"
		cat "$summary"
	else
		log "no summary for $topology: the run did not get to it; see $RESULTS/maven.log"
	fi
done
grep -E 'Tests run:|FAIL' "$RESULTS/maven.log" | tail -3 >&2 || true
log "exit $status; results in $RESULTS"
exit "$status"
