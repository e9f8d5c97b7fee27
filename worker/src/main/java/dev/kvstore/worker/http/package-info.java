/**
 * The worker's HTTP edge for Knative: CloudEvents in (audit events from a RabbitmqSource,
 * ticks from a PingSource), plain answers out.
 */
package dev.kvstore.worker.http;
