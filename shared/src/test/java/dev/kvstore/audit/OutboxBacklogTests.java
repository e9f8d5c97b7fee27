package dev.kvstore.audit;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.core.StringRedisTemplate;

import dev.kvstore.TestRedis;
import dev.kvstore.redis.RedisKeys;
import dev.kvstore.tenant.Caller;
import dev.kvstore.tenant.TenantId;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The backlog gauges count what waits in the outboxes the relay has yet to empty, woken
 * or parked, and how long the oldest event has waited.
 */
class OutboxBacklogTests {

	private final StringRedisTemplate redis = TestRedis.template();

	private final TenantId tenant = TestRedis.newTenant();

	private final Caller caller = Caller.system(this.tenant);

	private final AuditRelay relay = new AuditRelay(this.redis, (events) -> {
	});

	@Test
	void countsTheEventsOfAWokenOutboxAndTheAgeOfTheOldest() {
		AuditTrail trail = new AuditTrail(this.redis, this.relay::wake);
		for (int i = 0; i < 3; i++) {
			trail.success(this.caller, AuditEvent.Operation.LOGIN);
		}
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		backlogAt(oldestEventMillis() + 5_000).bindTo(meters);

		assertThat(meters.get("audit.outbox.backlog").gauge().value()).isEqualTo(3);
		assertThat(meters.get("audit.outbox.oldest.age").gauge().value()).isEqualTo(5.0);

		this.relay.relay(this.tenant);

		OutboxBacklog.Measurement after = backlogAt(System.currentTimeMillis()).measure();
		assertThat(after.events()).isZero();
		assertThat(after.oldestAgeSeconds()).isZero();
	}

	@Test
	void countsTheOutboxesParkedWhileTheSinkWasAway() {
		AuditTrail trail = new AuditTrail(this.redis, (tenant) -> {
		});
		trail.success(this.caller, AuditEvent.Operation.LOGIN);
		trail.success(this.caller, AuditEvent.Operation.LOGOUT);
		this.redis.opsForSet().add(RedisKeys.pendingOutboxes(), this.tenant.toString());
		try {
			assertThat(backlogAt(oldestEventMillis()).measure().events()).isEqualTo(2);
		}
		finally {
			this.redis.opsForSet().remove(RedisKeys.pendingOutboxes(), this.tenant.toString());
			this.relay.relay(this.tenant);
		}
	}

	@Test
	void measuresAtMostOnceASecond() {
		AuditTrail trail = new AuditTrail(this.redis, this.relay::wake);
		trail.success(this.caller, AuditEvent.Operation.LOGIN);
		OutboxBacklog backlog = backlogAt(oldestEventMillis());
		assertThat(backlog.measure().events()).isEqualTo(1);

		trail.success(this.caller, AuditEvent.Operation.LOGOUT);

		assertThat(backlog.measure().events()).isEqualTo(1);
		assertThat(backlogAt(oldestEventMillis() + 1_000).measure().events()).isEqualTo(2);
		this.relay.relay(this.tenant);
	}

	private OutboxBacklog backlogAt(long millis) {
		return new OutboxBacklog(this.redis, this.relay, Clock.fixed(Instant.ofEpochMilli(millis), ZoneOffset.UTC));
	}

	private long oldestEventMillis() {
		String id = this.redis.opsForStream().info(RedisKeys.outbox(this.tenant)).firstEntryId();
		return Long.parseLong(id.substring(0, id.indexOf('-')));
	}

}
