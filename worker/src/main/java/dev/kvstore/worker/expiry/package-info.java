/**
 * The {@code ttlCleanup} function and its schedule (CLEANUP_CRON).
 */
package dev.kvstore.worker.expiry;
