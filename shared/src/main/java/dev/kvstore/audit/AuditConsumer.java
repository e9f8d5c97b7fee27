package dev.kvstore.audit;

import java.util.List;
import java.util.function.Consumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The consuming end of the audit stream: stores each event in its tenant's log, counted
 * in {@code background_tasks_total{task="audit",status}} (success, duplicate, failure).
 * The worker's {@code audit} function is this, whatever delivers the event (RabbitMQ, a
 * CloudEvent, Amazon MQ); so is the in-process sink of the one-command local run, which
 * hands over the relay's batches whole ({@link #acceptAll}).
 */
public final class AuditConsumer implements Consumer<AuditEvent> {

	private final AuditLog log;

	private final Counter stored;

	private final Counter duplicates;

	private final Counter failures;

	public AuditConsumer(AuditLog log, MeterRegistry meters) {
		this.log = log;
		this.stored = outcome(meters, "success");
		this.duplicates = outcome(meters, "duplicate");
		this.failures = outcome(meters, "failure");
	}

	@Override
	public void accept(AuditEvent event) {
		acceptAll(List.of(event));
	}

	/** Stores the events, a script call per tenant rather than per event. */
	public void acceptAll(List<AuditEvent> events) {
		int stored;
		try {
			stored = this.log.appendAll(events);
		}
		catch (RuntimeException ex) {
			// The binder retries, then dead-letters; the count shows a store in trouble.
			this.failures.increment();
			throw ex;
		}
		this.stored.increment(stored);
		this.duplicates.increment(events.size() - stored);
	}

	private static Counter outcome(MeterRegistry meters, String status) {
		return meters.counter("background_tasks", "task", "audit", "status", status);
	}

}
