package dev.kvstore.worker.audit;

import java.util.function.Consumer;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import dev.kvstore.audit.AuditConsumer;
import dev.kvstore.audit.AuditEvent;
import dev.kvstore.audit.AuditLog;
import dev.kvstore.audit.AuditTopology;

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

	@Bean
	DeadLetterReplay deadLetterReplay(RabbitTemplate rabbit, Environment configuration) {
		AuditTopology topology = AuditTopology.of(configuration);
		return new DeadLetterReplay(rabbit, topology.exchange(), topology.deadLetterQueue());
	}

	/**
	 * {@code audit_dead_letters_messages}: the events waiting in the dead-letter queue,
	 * asked of the broker at each scrape (NaN when it cannot be asked).
	 */
	@Bean
	MeterBinder deadLetterGauge(DeadLetterReplay replay) {
		return (meters) -> Gauge.builder("audit.dead.letters", replay, DeadLetterReplay::waiting)
			.baseUnit("messages")
			.description("Audit events in the dead-letter queue, waiting to be replayed")
			.register(meters);
	}

	/** REPLAY_DEAD_LETTERS=true: replays the dead-letter queue once the worker is up. */
	@Bean
	@ConditionalOnProperty(name = "kvstore.audit.replay-dead-letters", havingValue = "true")
	ApplicationListener<ApplicationReadyEvent> replayDeadLettersOnStart(DeadLetterReplay replay) {
		return (ready) -> replay.replay();
	}

}
