/**
 * The embedded Redis for the one-command local run: a real redis-server keeping its data
 * on disk.
 */
package dev.kvstore.functions.redis;
