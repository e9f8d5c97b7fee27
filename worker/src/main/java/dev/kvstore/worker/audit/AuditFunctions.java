package dev.kvstore.worker.audit;

import java.util.function.Consumer;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.kvstore.audit.AuditConsumer;
import dev.kvstore.audit.AuditEvent;
import dev.kvstore.audit.AuditLog;

/**
 * The stream-triggered function. Bound to RabbitMQ as {@code audit-in-0} here; the same
 * bean takes a CloudEvent (Knative) or an Amazon MQ event (Lambda) through those edges.
 * It knows no transport.
 */
@Configuration(proxyBeanMethods = false)
class AuditFunctions {

	@Bean
	public Consumer<AuditEvent> audit(AuditLog log, MeterRegistry meters) {
		return new AuditConsumer(log, meters);
	}

}
