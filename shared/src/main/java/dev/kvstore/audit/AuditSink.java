package dev.kvstore.audit;

import java.util.List;

/**
 * Where the relay hands audit events: RabbitMQ, or the audit log itself when there is no
 * broker.
 */
@FunctionalInterface
public interface AuditSink {

	/**
	 * Delivers every event or throws; events are only removed from the outbox after it
	 * returns.
	 */
	void deliver(List<AuditEvent> events);

}
