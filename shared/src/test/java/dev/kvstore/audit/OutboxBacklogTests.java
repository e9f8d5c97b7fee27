package dev.kvstore.audit;

import java.lang.ref.Reference;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.core.StringRedisTemplate;

import dev.kvstore.TestRedis;
import dev.kvstore.redis.RedisKeys;
import dev.kvstore.tenant.Caller;
import dev.kvstore.tenant.TenantId;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The backlog gauges count what waits in the outboxes the relay has yet to empty, and how
 * long the oldest event has waited; the relay names those outboxes, woken or parked.
 */
class OutboxBacklogTests {

	private final StringRedisTemplate redis = TestRedis.template();

	private final TenantId tenant = TestRedis.newTenant();

	private final Caller caller = Caller.system(this.tenant);

	private final AuditRelay relay = new AuditRelay(this.redis, (events) -> {
	});

	private final AuditTrail trail = new AuditTrail(this.redis, this.relay::wake);

	@Test
	void countsTheEventsWaitingAndTheAgeOfTheOldest() {
		for (int i = 0; i < 3; i++) {
			this.trail.success(this.caller, AuditEvent.Operation.LOGIN);
		}
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		OutboxBacklog backlog = backlogAt(oldestEventMillis() + 5_000);
		backlog.bindTo(meters);

		assertThat(meters.get("audit.outbox.backlog").gauge().value()).isEqualTo(3);
		assertThat(meters.get("audit.outbox.oldest.age").gauge().value()).isEqualTo(5.0);
		// A gauge holds its object weakly (the app's is a bean): collected, it reads NaN.
		Reference.reachabilityFence(backlog);

		this.relay.relay(this.tenant);

		OutboxBacklog.Measurement after = backlogAt(System.currentTimeMillis()).measure();
		assertThat(after.events()).isZero();
		assertThat(after.oldestAgeSeconds()).isZero();
	}

	@Test
	void measuresAtMostOnceASecond() {
		this.trail.success(this.caller, AuditEvent.Operation.LOGIN);
		OutboxBacklog backlog = backlogAt(oldestEventMillis());
		assertThat(backlog.measure().events()).isEqualTo(1);

		this.trail.success(this.caller, AuditEvent.Operation.LOGOUT);

		assertThat(backlog.measure().events()).isEqualTo(1);
		assertThat(backlogAt(oldestEventMillis() + 1_000).measure().events()).isEqualTo(2);
		this.relay.relay(this.tenant);
	}

	@Test
	void theRelayNamesTheOutboxesItWasWokenForAndThoseParkedWhileTheSinkWasAway() {
		TenantId parked = TestRedis.newTenant();
		this.relay.wake(this.tenant);
		this.redis.opsForSet().add(RedisKeys.pendingOutboxes(), parked.toString());
		try {
			assertThat(this.relay.waitingTenants(256)).contains(this.tenant, parked);
			assertThat(this.relay.waitingTenants(1)).containsExactly(this.tenant);
		}
		finally {
			this.redis.opsForSet().remove(RedisKeys.pendingOutboxes(), parked.toString());
		}
	}

	/**
	 * A backlog over this test's tenant only: other tenants' outboxes may wait in Redis.
	 */
	private OutboxBacklog backlogAt(long millis) {
		return new OutboxBacklog(this.redis, () -> List.of(this.tenant),
				Clock.fixed(Instant.ofEpochMilli(millis), ZoneOffset.UTC));
	}

	private long oldestEventMillis() {
		String id = this.redis.opsForStream().info(RedisKeys.outbox(this.tenant)).firstEntryId();
		return Long.parseLong(id.substring(0, id.indexOf('-')));
	}

}
