package dev.kvstore.audit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.support.AmqpHeaders;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.messaging.support.MessageBuilder;

/**
 * Publishes audit events to RabbitMQ through the {@code audit-out-0} binding and waits
 * for the broker's publisher confirms: an event counts as delivered only once RabbitMQ
 * has it.
 */
public class RabbitAuditSink implements AuditSink {

	public static final String BINDING = "audit-out-0";

	private final StreamBridge bridge;

	private final Duration timeout;

	public RabbitAuditSink(StreamBridge bridge, Duration timeout) {
		this.bridge = bridge;
		this.timeout = timeout;
	}

	@Override
	public void deliver(List<AuditEvent> events) {
		List<CorrelationData> confirms = new ArrayList<>(events.size());
		for (AuditEvent event : events) {
			CorrelationData confirm = new CorrelationData(event.eventId());
			boolean sent = this.bridge.send(BINDING,
					MessageBuilder.withPayload(event)
						.setHeader(AmqpHeaders.PUBLISH_CONFIRM_CORRELATION, confirm)
						.build());
			if (!sent) {
				throw new IllegalStateException("the audit binding did not take event " + event.eventId());
			}
			confirms.add(confirm);
		}
		for (CorrelationData confirm : confirms) {
			awaitAck(confirm);
		}
	}

	private void awaitAck(CorrelationData confirm) {
		try {
			CorrelationData.Confirm result = confirm.getFuture().get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
			if (!result.ack() || confirm.getReturned() != null) {
				throw new IllegalStateException("RabbitMQ did not accept audit event " + confirm.getId());
			}
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("RabbitMQ did not confirm audit event " + confirm.getId(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while waiting for RabbitMQ", ex);
		}
	}

}
