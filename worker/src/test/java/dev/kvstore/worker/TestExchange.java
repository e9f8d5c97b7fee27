package dev.kvstore.worker;

import java.util.UUID;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistrar;

import dev.kvstore.audit.AuditEvent;
import dev.kvstore.json.ApiJson;

/**
 * An audit exchange (with its queue and dead-letter queue) for one test context, so that
 * test runs never share a queue; removed when the context closes.
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

	/** Publishes the event to the exchange as JSON, as the relay does. */
	public void publish(RabbitTemplate rabbit, AuditEvent event) {
		MessageProperties properties = new MessageProperties();
		properties.setContentType(MessageProperties.CONTENT_TYPE_JSON);
		rabbit.send(this.name, this.name, new Message(ApiJson.mapper().writeValueAsBytes(event), properties));
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Configuration {

		@Bean
		TestExchange testExchange() {
			return new TestExchange();
		}

		@Bean
		DynamicPropertyRegistrar auditExchange(TestExchange exchange) {
			return (registry) -> registry.add("AUDIT_EXCHANGE", exchange::name);
		}

		@Bean
		AutoCloseable deleteTestExchange(TestExchange exchange, AmqpAdmin admin) {
			return () -> {
				admin.deleteQueue(exchange.queue());
				admin.deleteQueue(exchange.deadLetterQueue());
				admin.deleteExchange(exchange.name());
			};
		}

	}

}
