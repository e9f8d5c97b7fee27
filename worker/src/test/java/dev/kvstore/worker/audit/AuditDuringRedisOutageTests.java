package dev.kvstore.worker.audit;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.kvstore.RedisCluster;
import dev.kvstore.RedisProcess;
import dev.kvstore.TestBroker;
import dev.kvstore.audit.AuditEvent;
import dev.kvstore.audit.AuditLog;
import dev.kvstore.audit.AuditQuery;
import dev.kvstore.tenant.TenantId;
import dev.kvstore.worker.TestExchange;
import dev.kvstore.worker.WorkerTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An audit event that arrives while Redis is down is retried until Redis is back, and
 * stored then: a Redis restart dead-letters nothing. The worker runs against a Redis of
 * this test's own, which it kills and restarts.
 */
@WorkerTest
@Tag(RedisCluster.OWN_REDIS)
class AuditDuringRedisOutageTests {

	/** The attempts the worker used to make before dead-lettering an event. */
	private static final int FORMER_MAX_ATTEMPTS = 3;

	private static final RedisProcess redis = RedisProcess.start();

	@Autowired
	AuditLog log;

	@Autowired
	MeterRegistry meters;

	@Autowired
	RabbitTemplate rabbit;

	@Autowired
	TestExchange exchange;

	@DynamicPropertySource
	static void ownRedis(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.host", () -> "127.0.0.1");
		registry.add("spring.data.redis.port", redis::port);
	}

	@AfterAll
	static void stopRedis() {
		redis.close();
	}

	@Test
	void storesAnEventThatArrivedWhileRedisWasDownOnceItIsBack() {
		TenantId tenant = TenantId.random();
		AuditEvent event = new AuditEvent("outage-" + UUID.randomUUID(), tenant.value(), "create", "k", 1L, "success",
				Instant.parse("2026-11-26T10:00:00.123Z"), "req", "127.0.0.1");
		double failuresBefore = failures();
		redis.kill();

		this.exchange.publish(this.rabbit, event);

		await().atMost(Duration.ofSeconds(30)).until(() -> failures() - failuresBefore >= FORMER_MAX_ATTEMPTS);
		redis.restart();
		await().atMost(Duration.ofSeconds(60))
			.ignoreExceptions()
			.untilAsserted(
					() -> assertThat(this.log.page(tenant, new AuditQuery(10, null)).items()).containsExactly(event));
		if (TestBroker.isRabbitMq()) {
			assertThat(this.rabbit.receive(this.exchange.deadLetterQueue())).isNull();
		}
	}

	private double failures() {
		return this.meters.counter("background_tasks", "task", "audit", "status", "failure").count();
	}

}
