#!/usr/bin/env bash
# Records an app's JDK 25 AOT cache (app.aot) in APP_DIR, which holds app.jar (an extracted Boot jar).
#
#   ops/aot-training/train.sh APP_DIR          # the image's way: start the context and exit
#   ops/aot-training/train.sh APP_DIR SECONDS  # the functions app only: serve SECONDS of traffic first
#
# The image's way starts the context and exits; the functions app runs its priming requests on the
# way (LambdaPriming), so the cache holds the request path's classes. With SECONDS above 0 the app
# serves that long a busy API's request mix (Train.java: GETs, PUTs, creates, a list page, a miss)
# and is then stopped; the JVM writes the cache as it exits, with the JIT's method profiles of the
# request path too (JEP 515): a process started from it reaches full speed sooner, and starts a
# little later (bench/README.md, Warm-up). bench/warm-up.sh and bench/cold-start.sh run it; the
# Dockerfile writes the image's way out itself.
#
# Without REDIS_HOST the app starts its embedded redis-server (kept under APP_DIR/.kvstore, removed
# after); with it, that Redis, where the traffic makes and then deletes one tenant of its own.
# Loopback only; every step is bounded; it stops the app it started, and nothing else.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
APP_DIR="$(cd "${1:?usage: train.sh APP_DIR [SECONDS]}" && pwd)"
SECONDS_OF_TRAFFIC="${2:-0}"
JAVA="${JAVA:-java}"
PORT="${TRAINING_PORT:-18380}"
[[ "$SECONDS_OF_TRAFFIC" =~ ^[0-9]+$ ]] || { echo "train.sh: SECONDS must be a whole number" >&2; exit 2; }

export KVSTORE_DATA_DIR="$APP_DIR/.kvstore/redis" SECRET_KEY="${SECRET_KEY:-aot-training-secret-never-used-at-run-time}"
if ((SECONDS_OF_TRAFFIC == 0)); then
	(cd "$APP_DIR" && PRIME_ON_START=true timeout 600 "$JAVA" -XX:AOTCacheOutput=app.aot -Dspring.context.exit=onRefresh \
		-Dserver.port=0 -jar app.jar > training.log 2>&1) \
		|| { echo "train.sh: the training run failed" >&2; tail -n 30 "$APP_DIR/training.log" >&2; exit 1; }
	rm -rf "$APP_DIR/training.log" "$APP_DIR/.kvstore"
	exit 0
fi

# One tenant at full speed: lift the per-tenant rate (its counter still runs) and the per-address
# registration limit (a shared Redis may have counted other registrations from loopback).
export PORT TENANT_OPS_PER_SECOND=1000000 REGISTRATIONS_PER_ADDRESS=0

(cd "$APP_DIR" && exec "$JAVA" -XX:AOTCacheOutput=app.aot -jar app.jar > training.log 2>&1) &
app=$!
stop() {
	kill -TERM "$app" 2> /dev/null || true
	for _ in $(seq 1200); do kill -0 "$app" 2> /dev/null || break; sleep 0.1; done # the cache is written on exit
	kill -KILL "$app" 2> /dev/null || true
	wait "$app" 2> /dev/null || true
	rm -rf "$APP_DIR/.kvstore"
}
trap stop EXIT

timeout $((SECONDS_OF_TRAFFIC + 300)) "$JAVA" "$HERE/Train.java" "http://127.0.0.1:$PORT" "$SECONDS_OF_TRAFFIC" \
	|| { echo "train.sh: the training traffic failed; the app's log:" >&2; tail -n 30 "$APP_DIR/training.log" >&2; exit 1; }
stop
trap - EXIT
[[ -s "$APP_DIR/app.aot" ]] || { echo "train.sh: the app wrote no AOT cache" >&2; tail -n 30 "$APP_DIR/training.log" >&2; exit 1; }
rm -f "$APP_DIR/training.log"
