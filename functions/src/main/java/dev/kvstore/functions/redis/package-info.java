/**
 * The Lettuce client's tuning: consolidated flushes, fail-fast while Redis is away,
 * prompt reconnects.
 */
package dev.kvstore.functions.redis;
