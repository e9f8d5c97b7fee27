package dev.kvstore.worker;

import java.util.UUID;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * An audit exchange (and its queue and dead-letter queue) for one test class, removed
 * afterwards.
 */
public final class TestExchange {

	private final String name = "kvstore.audit.test-" + UUID.randomUUID();

	public String name() {
		return this.name;
	}

	public String queue() {
		return this.name + ".worker";
	}

	public String deadLetterQueue() {
		return queue() + ".dlq";
	}

	public void register(DynamicPropertyRegistry registry) {
		registry.add("AUDIT_EXCHANGE", this::name);
	}

	public void delete() {
		CachingConnectionFactory connections = new CachingConnectionFactory("localhost");
		try {
			RabbitAdmin admin = new RabbitAdmin(connections);
			admin.deleteQueue(queue());
			admin.deleteQueue(deadLetterQueue());
			admin.deleteExchange(this.name);
		}
		finally {
			connections.destroy();
		}
	}

}
