/**
 * The Redis key scheme and the loading of Lua scripts: the only place that knows key
 * names.
 */
package dev.kvstore.redis;
