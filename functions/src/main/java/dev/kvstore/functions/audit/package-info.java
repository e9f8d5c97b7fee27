/**
 * Audit in the functions app: the relay from the outboxes to RabbitMQ (or, with no
 * broker, straight to the audit log, with the cleanup on an in-process schedule) and the
 * {@code listAudit} endpoint.
 */
package dev.kvstore.functions.audit;
