package dev.kvstore.audit;

import java.util.HashMap;
import java.util.Map;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.core.env.PropertyResolver;

/**
 * Where audit events travel in RabbitMQ: a topic exchange, and the worker's queue bound
 * to it for every routing key; with dead letters on, also the dead-letter exchange
 * {@code DLX} and the worker's dead-letter queue. This is what the worker's binding
 * ({@code audit-in-0}, group {@code worker}) declares, argument for argument: the relay
 * declares the same before its first event, so that events published before any worker
 * ran are kept, and whichever declares second must agree with the first, or RabbitMQ
 * refuses it. Where something else consumes the exchange (Knative's RabbitMQ source, with
 * a queue of its own) the worker's queue is left out, or it would fill with events that
 * nobody reads.
 *
 * @param exchange the exchange's name ({@code AUDIT_EXCHANGE})
 * @param workerQueue whether the worker's queues are declared
 * ({@code AUDIT_WORKER_QUEUE})
 * @param quorum whether the queues are quorum queues ({@code AUDIT_QUORUM_QUEUES})
 * @param deadLetters whether the worker's queue dead-letters what the worker cannot store
 * ({@code AUDIT_DEAD_LETTERS})
 */
public record AuditTopology(String exchange, boolean workerQueue, boolean quorum, boolean deadLetters) {

	/** The binder's dead-letter exchange, shared by every queue that dead-letters. */
	private static final String DEAD_LETTER_EXCHANGE = "DLX";

	/**
	 * The topology the apps' configuration describes: {@code kvstore.audit.exchange},
	 * {@code .worker-queue}, {@code .quorum-queues} and {@code .dead-letters}.
	 */
	public static AuditTopology of(PropertyResolver configuration) {
		return new AuditTopology(configuration.getRequiredProperty("kvstore.audit.exchange"),
				configuration.getRequiredProperty("kvstore.audit.worker-queue", Boolean.class),
				configuration.getRequiredProperty("kvstore.audit.quorum-queues", Boolean.class),
				configuration.getRequiredProperty("kvstore.audit.dead-letters", Boolean.class));
	}

	/** The worker's queue: {@code <exchange>.worker}. */
	public String queue() {
		return this.exchange + ".worker";
	}

	/** The worker's dead-letter queue: {@code <exchange>.worker.dlq}. */
	public String deadLetterQueue() {
		return queue() + ".dlq";
	}

	/** Declares the exchange and the queues; what exists already is left as it is. */
	public void declare(AmqpAdmin admin) {
		TopicExchange events = new TopicExchange(this.exchange);
		if (!this.workerQueue) {
			admin.declareExchange(events);
			return;
		}
		Map<String, Object> arguments = queueType();
		if (this.deadLetters) {
			DirectExchange deadLetterExchange = new DirectExchange(DEAD_LETTER_EXCHANGE);
			Queue deadLetterQueue = new Queue(deadLetterQueue(), true, false, false, queueType());
			admin.declareExchange(deadLetterExchange);
			admin.declareQueue(deadLetterQueue);
			admin.declareBinding(BindingBuilder.bind(deadLetterQueue).to(deadLetterExchange).with(queue()));
			arguments.put("x-dead-letter-exchange", DEAD_LETTER_EXCHANGE);
			arguments.put("x-dead-letter-routing-key", queue());
		}
		Queue queue = new Queue(queue(), true, false, false, arguments);
		admin.declareExchange(events);
		admin.declareQueue(queue);
		admin.declareBinding(BindingBuilder.bind(queue).to(events).with("#"));
	}

	private Map<String, Object> queueType() {
		Map<String, Object> arguments = new HashMap<>();
		if (this.quorum) {
			arguments.put("x-queue-type", "quorum");
		}
		return arguments;
	}

}
