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
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.core.env.PropertyResolver;

import dev.kvstore.json.ApiJson;

/**
 * Publishes audit events to the audit exchange and waits for the broker's publisher
 * confirms: an event counts as delivered only once RabbitMQ has it. Before its first
 * batch it declares the exchange and the worker's queue ({@link AuditTopology}), so that
 * events published before any worker ran are kept, not dropped as unroutable. A batch is
 * published on one channel, and the confirms are awaited after the last send.
 */
public class RabbitAuditSink implements AuditSink {

	/**
	 * How long the broker may take to confirm an event before the batch counts as failed.
	 */
	private static final Duration CONFIRM_TIMEOUT = Duration.ofSeconds(5);

	private final RabbitTemplate rabbit;

	private final RabbitAdmin admin;

	private final AuditTopology topology;

	private final AuditSignature signature;

	private volatile boolean declared;

	/**
	 * @param connections a connection factory with publisher confirms and returns on
	 * @param signature signs each event as it is published
	 */
	public RabbitAuditSink(ConnectionFactory connections, AuditTopology topology, AuditSignature signature) {
		this.rabbit = new RabbitTemplate(connections);
		this.rabbit.setMandatory(true);
		this.admin = new RabbitAdmin(connections);
		this.topology = topology;
		this.signature = signature;
	}

	/**
	 * The sink the app's configuration describes: its {@link AuditTopology} and its
	 * signing key ({@link AuditSignature#KEY}).
	 */
	public static RabbitAuditSink configured(ConnectionFactory connections, PropertyResolver configuration) {
		return new RabbitAuditSink(connections, AuditTopology.of(configuration),
				new AuditSignature(configuration.resolvePlaceholders(AuditSignature.KEY)));
	}

	@Override
	public void deliver(List<AuditEvent> events) {
		if (events.isEmpty()) {
			return;
		}
		if (!this.declared) {
			this.topology.declare(this.admin);
			this.declared = true;
		}
		publish(events.stream().map(this.signature::sign).toList());
	}

	/** Publishes the events on one channel, then waits for every confirm. */
	private void publish(List<AuditEvent> events) {
		List<CorrelationData> confirms = new ArrayList<>(events.size());
		String exchange = this.topology.exchange();
		this.rabbit.invoke((channel) -> {
			for (AuditEvent event : events) {
				CorrelationData confirm = new CorrelationData(event.eventId());
				channel.send(exchange, exchange, message(event), confirm);
				confirms.add(confirm);
			}
			return null;
		});
		confirms.forEach(this::awaitAck);
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
