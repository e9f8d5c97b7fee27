/**
 * The worker application: the stream-triggered {@code audit} function and the
 * cron-triggered {@code ttlCleanup} function, over the same tenant-scoped Redis
 * repositories as the API.
 */
package dev.kvstore.worker;
