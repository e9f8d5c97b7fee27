package dev.kvstore.worker;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

import dev.kvstore.audit.AuditSink;
import dev.kvstore.audit.RabbitAuditSink;

/**
 * The shared store, with RabbitMQ as where the relay publishes the {@code expire} events
 * the cleanup writes to the outboxes.
 */
@Configuration(proxyBeanMethods = false)
@Import(dev.kvstore.StoreConfiguration.class)
class RelayConfiguration {

	@Bean
	AuditSink rabbitAuditSink(ConnectionFactory connections, Environment configuration) {
		return RabbitAuditSink.configured(connections, configuration);
	}

}
