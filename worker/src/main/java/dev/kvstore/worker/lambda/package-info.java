/**
 * The worker's AWS Lambda edges: Amazon MQ events for {@code audit}, EventBridge
 * schedules for {@code ttlCleanup}.
 */
package dev.kvstore.worker.lambda;
