package dev.kvstore.worker.lambda;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import com.amazonaws.services.lambda.runtime.events.RabbitMQEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.kvstore.audit.AuditEvent;
import dev.kvstore.json.ApiJson;
import dev.kvstore.kv.ExpiredEntryCleanup;

/**
 * On Lambda the worker's functions are triggered by AWS events: an Amazon MQ for RabbitMQ
 * event carries a batch of base64-encoded audit events for {@code audit}; an EventBridge
 * schedule triggers {@code ttlCleanup}. These edges only unwrap the events; the functions
 * stay free of transport types.
 */
@Configuration(proxyBeanMethods = false)
public class LambdaFunctions {

	/**
	 * Every message of the batch goes to {@code audit}; a message that cannot be read
	 * fails the batch, so that Lambda retries it and then hands it to the queue's
	 * dead-letter policy.
	 */
	@Bean
	public Consumer<RabbitMQEvent> auditFromMq(@Qualifier("audit") Consumer<AuditEvent> audit) {
		return (event) -> {
			Map<String, List<RabbitMQEvent.RabbitMessage>> byQueue = event.getRmqMessagesByQueue();
			if (byQueue == null) {
				return;
			}
			byQueue.values()
				.stream()
				.flatMap(List::stream)
				.map((message) -> ApiJson.mapper()
					.readValue(Base64.getDecoder().decode(message.getData()), AuditEvent.class))
				.forEach(audit);
		};
	}

	@Bean
	public Function<ScheduledEvent, ExpiredEntryCleanup.Report> ttlCleanupOnSchedule(
			@Qualifier("ttlCleanup") Supplier<ExpiredEntryCleanup.Report> ttlCleanup) {
		return (event) -> ttlCleanup.get();
	}

}
