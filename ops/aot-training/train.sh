#!/usr/bin/env bash
# Records the functions app's JDK 25 AOT cache (app.aot) from a training run that serves traffic:
# starts the extracted app in APP_DIR with -XX:AOTCacheOutput, sends SECONDS of a busy API's request
# mix (Train.java: GETs, PUTs, creates, a list page, a miss) and stops it; the JVM writes the cache
# as it exits, with the classes and the JIT's method profiles of the request path (JEP 515), so that
# a process started from it reaches full speed sooner, and starts a little later (bench/README.md,
# Warm-up). bench/warm-up.sh and bench/cold-start.sh run it with TRAIN_SECONDS; the Dockerfile does
# not (yet): its training run starts the context and exits.
#
#   ops/aot-training/train.sh APP_DIR [SECONDS]     # APP_DIR holds app.jar (an extracted Boot jar)
#
# Without REDIS_HOST the app starts its embedded redis-server (kept under APP_DIR/.kvstore, removed
# after); with it, that Redis, where it makes and then deletes one tenant of its own. Loopback only;
# every step is bounded; it stops the app it started, and nothing else.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
APP_DIR="$(cd "${1:?usage: train.sh APP_DIR [SECONDS]}" && pwd)"
SECONDS_OF_TRAFFIC="${2:-40}"
JAVA="${JAVA:-java}"
PORT="${TRAINING_PORT:-18380}"
[[ "$SECONDS_OF_TRAFFIC" =~ ^[0-9]+$ ]] || { echo "train.sh: SECONDS must be a whole number" >&2; exit 2; }

# One tenant at full speed: lift the per-tenant rate (its counter still runs) and the per-address
# registration limit (a shared Redis may have counted other registrations from loopback).
export PORT TENANT_OPS_PER_SECOND=1000000 REGISTRATIONS_PER_ADDRESS=0
export KVSTORE_DATA_DIR="$APP_DIR/.kvstore/redis" SECRET_KEY="${SECRET_KEY:-aot-training-secret-never-used-at-run-time}"

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
