/**
 * Health probes as Function beans: liveness without dependencies, readiness with Redis.
 */
package dev.kvstore.functions.health;
