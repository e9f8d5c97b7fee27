package dev.kvstore.worker.audit;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;

import dev.kvstore.TestBroker;
import dev.kvstore.audit.AuditEvent;
import dev.kvstore.audit.AuditLog;
import dev.kvstore.audit.AuditQuery;
import dev.kvstore.audit.AuditSink;
import dev.kvstore.json.ApiJson;
import dev.kvstore.tenant.TenantId;
import dev.kvstore.worker.TestExchange;
import dev.kvstore.worker.WorkerTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The audit function consuming from the real RabbitMQ: stores each event once, and sends
 * what it cannot read to the dead-letter queue after its bounded retries.
 */
@WorkerTest
class AuditConsumerTests {

	@Autowired
	TestExchange exchange;

	@Autowired
	AuditLog log;

	@Autowired
	AuditSink relaySink;

	@Autowired
	RabbitTemplate rabbit;

	@Autowired
	MeterRegistry meters;

	@Autowired
	DeadLetterReplay replay;

	@Test
	void storesAPublishedEventInItsTenantsLog() {
		TenantId tenant = TenantId.random();
		AuditEvent event = event(tenant, "e-1");

		this.exchange.publish(this.rabbit, event);

		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(
					() -> assertThat(this.log.page(tenant, new AuditQuery(10, null)).items()).containsExactly(event));
	}

	/**
	 * The relay declares the exchange and the worker's queue before its first event, and
	 * the worker's binding has declared them too: the two declarations agree.
	 */
	@Test
	void storesAnEventTheRelayPublished() {
		TenantId tenant = TenantId.random();
		AuditEvent event = event(tenant, "e-relayed");

		this.relaySink.deliver(List.of(event));

		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.log.page(tenant, new AuditQuery(10, null)).items())
				.extracting(AuditEvent::eventId)
				.containsExactly(event.eventId()));
	}

	@Test
	void storesARedeliveredEventOnce() {
		TenantId tenant = TenantId.random();
		AuditEvent event = event(tenant, "e-twice");
		double duplicatesBefore = this.meters.counter("background_tasks", "task", "audit", "status", "duplicate")
			.count();

		this.exchange.publish(this.rabbit, event);
		this.exchange.publish(this.rabbit, event);

		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.meters.counter("background_tasks", "task", "audit", "status", "duplicate")
				.count() > duplicatesBefore);
		assertThat(this.log.page(tenant, new AuditQuery(10, null)).items()).containsExactly(event);
	}

	@Test
	void deadLettersWhatItCannotRead() {
		assumeTrue(TestBroker.isRabbitMq(), "dead-lettering is RabbitMQ's: the in-JVM broker's run turns it off");
		MessageProperties properties = new MessageProperties();
		properties.setContentType("application/json");

		this.rabbit.send(this.exchange.name(), "audit", new Message("{\"not\":\"an event\"}".getBytes(), properties));

		// The gauge an operator's alert watches (audit_dead_letters_messages).
		await().atMost(Duration.ofSeconds(15)).until(() -> this.meters.get("audit.dead.letters").gauge().value() >= 1);
		await().atMost(Duration.ofSeconds(15)).until(() -> {
			Message dead = this.rabbit.receive(this.exchange.deadLetterQueue());
			return dead != null && new String(dead.getBody()).contains("not");
		});
	}

	/**
	 * Events that failed while the worker's Redis was away for longer than the retries.
	 */
	@Test
	void replaysTheDeadLetterQueueIntoTheLog() {
		assumeTrue(TestBroker.isRabbitMq(), "dead-lettering is RabbitMQ's: the in-JVM broker's run turns it off");
		TenantId tenant = TenantId.random();
		AuditEvent event = event(tenant, "e-dead");
		MessageProperties properties = new MessageProperties();
		properties.setContentType("application/json");
		properties.setHeader("x-exception-message", "the store cannot be reached");
		this.rabbit.send("", this.exchange.deadLetterQueue(),
				new Message(ApiJson.mapper().writeValueAsBytes(event), properties));
		// The broker enqueues a publish on its own time: replay what the queue holds.
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.rabbit.execute((channel) -> channel.messageCount(this.exchange.deadLetterQueue())) > 0);

		int moved = this.replay.replay();

		assertThat(moved).isPositive();
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(
					() -> assertThat(this.log.page(tenant, new AuditQuery(10, null)).items()).containsExactly(event));
	}

	private static AuditEvent event(TenantId tenant, String id) {
		return new AuditEvent(id + "-" + UUID.randomUUID(), tenant.value(), "create", "k", 1L, "success",
				Instant.parse("2026-11-26T10:00:00.123Z"), "req", "127.0.0.1");
	}

}
