package dev.kvstore.audit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.support.AmqpHeaders;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.messaging.support.MessageBuilder;

import dev.kvstore.json.ApiJson;

/**
 * Publishes audit events to the exchange of the {@code audit-out-0} binding and waits for
 * the broker's publisher confirms: an event counts as delivered only once RabbitMQ has
 * it. The first event goes through the binding, whose first send declares the exchange
 * and the worker's queue; after that a batch is published on one channel, without the
 * binding's per-message conversion, channel checkout and observation, which cost about
 * 300 µs an event.
 */
public class RabbitAuditSink implements AuditSink {

	public static final String BINDING = "audit-out-0";

	/** The binding's exchange, as a property placeholder for the apps' configuration. */
	public static final String EXCHANGE = "${spring.cloud.stream.bindings." + BINDING + ".destination}";

	/**
	 * How long the broker may take to confirm an event before the batch counts as failed.
	 */
	private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(5);

	private final StreamBridge bridge;

	private final RabbitTemplate rabbit;

	private final String exchange;

	private final AuditSignature signature;

	private volatile boolean declared;

	/**
	 * @param signature signs each event as it is published
	 */
	public RabbitAuditSink(StreamBridge bridge, ConnectionFactory connections, String exchange,
			AuditSignature signature) {
		this.bridge = bridge;
		this.signature = signature;
		this.rabbit = new RabbitTemplate(connections);
		this.rabbit.setMandatory(true);
		this.exchange = exchange;
	}

	@Override
	public void deliver(List<AuditEvent> unsigned) {
		List<AuditEvent> events = unsigned.stream().map(this.signature::sign).toList();
		if (this.declared) {
			publish(events);
			return;
		}
		awaitAck(sendThroughBinding(events.getFirst()));
		this.declared = true;
		publish(events.subList(1, events.size()));
	}

	/** Publishes the events on one channel, then waits for every confirm. */
	private void publish(List<AuditEvent> events) {
		if (events.isEmpty()) {
			return;
		}
		List<CorrelationData> confirms = new ArrayList<>(events.size());
		this.rabbit.invoke((channel) -> {
			for (AuditEvent event : events) {
				CorrelationData confirm = new CorrelationData(event.eventId());
				channel.send(this.exchange, this.exchange, message(event), confirm);
				confirms.add(confirm);
			}
			return null;
		});
		confirms.forEach(this::awaitAck);
	}

	private CorrelationData sendThroughBinding(AuditEvent event) {
		CorrelationData confirm = new CorrelationData(event.eventId());
		boolean sent = this.bridge.send(BINDING,
				MessageBuilder.withPayload(event).setHeader(AmqpHeaders.PUBLISH_CONFIRM_CORRELATION, confirm).build());
		if (!sent) {
			throw new IllegalStateException("the audit binding did not take event " + event.eventId());
		}
		return confirm;
	}

	private static Message message(AuditEvent event) {
		MessageProperties properties = new MessageProperties();
		properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
		properties.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
		return new Message(ApiJson.mapper().writeValueAsBytes(event), properties);
	}

	private void awaitAck(CorrelationData confirm) {
		try {
			CorrelationData.Confirm result = confirm.getFuture().get(CONFIRM_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
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
