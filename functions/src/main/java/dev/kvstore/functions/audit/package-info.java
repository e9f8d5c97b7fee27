/**
 * Audit in the functions app: the security events of the auth routes, the sink that
 * publishes the outboxes to RabbitMQ, and the {@code listAudit} endpoint.
 */
package dev.kvstore.functions.audit;
