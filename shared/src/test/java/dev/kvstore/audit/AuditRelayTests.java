package dev.kvstore.audit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.IntNode;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.kvstore.RedisCluster;
import dev.kvstore.RedisProcess;
import dev.kvstore.TestRedis;
import dev.kvstore.kv.EntryRepository;
import dev.kvstore.kv.EntryUpdate;
import dev.kvstore.kv.KvSettings;
import dev.kvstore.kv.NewEntry;
import dev.kvstore.redis.RedisKeys;
import dev.kvstore.tenant.Caller;
import dev.kvstore.tenant.TenantId;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Changes write their audit events to the tenant's outbox atomically; the relay hands
 * them to the sink and removes them only once the sink has taken them.
 */
class AuditRelayTests {

	private final StringRedisTemplate redis = TestRedis.template();

	private final List<AuditEvent> delivered = new ArrayList<>();

	private final AuditRelay relay = new AuditRelay(this.redis, this.delivered::addAll);

	private final EntryRepository entries = new EntryRepository(TestRedis.scripts(), KvSettings.DEFAULTS);

	private final TenantId tenant = TestRedis.newTenant();

	private final Caller caller = Caller.system(this.tenant);

	@Test
	void relaysEveryChangeWithItsRequestContext() {
		Caller request = new Caller(this.tenant, "req-1", "192.0.2.7");

		this.entries.create(request, new NewEntry("k", IntNode.valueOf(1), 60L, Map.of())).block();
		this.entries.update(request, new EntryUpdate("k", IntNode.valueOf(2), null, null)).block();
		this.entries.delete(request, "k").block();

		int count = this.relay.relay(this.tenant);

		assertThat(count).isEqualTo(3);
		assertThat(this.delivered).extracting(AuditEvent::operation).containsExactly("create", "update", "delete");
		assertThat(this.delivered).extracting(AuditEvent::version).containsExactly(1L, 2L, 2L);
		assertThat(this.delivered).allSatisfy((event) -> {
			assertThat(event.tenantId()).isEqualTo(this.tenant.value());
			assertThat(event.key()).isEqualTo("k");
			assertThat(event.outcome()).isEqualTo("success");
			assertThat(event.requestId()).isEqualTo("req-1");
			assertThat(event.clientAddress()).isEqualTo("192.0.2.7");
			assertThat(event.eventId()).startsWith(this.tenant + ":");
		});
		assertThat(this.redis.opsForStream().size(RedisKeys.outbox(this.tenant))).isZero();
		assertThat(this.redis.opsForZSet().score(RedisKeys.expirySchedule(), this.tenant.toString())).isNotNull();
	}

	@Test
	void keepsEventsInTheOutboxWhileTheSinkRefusesThem() {
		this.entries.create(this.caller, new NewEntry("k", IntNode.valueOf(1), null, null)).block();
		AuditRelay failing = new AuditRelay(this.redis, (events) -> {
			throw new IllegalStateException("broker down");
		});

		assertThatIllegalStateException().isThrownBy(() -> failing.relay(this.tenant));
		int count = this.relay.relay(this.tenant);

		assertThat(count).isEqualTo(1);
		assertThat(this.delivered).singleElement().extracting(AuditEvent::operation).isEqualTo("create");
	}

	@Test
	void keepsEventsWrittenWhileABatchIsBeingDelivered() {
		AuditTrail trail = new AuditTrail(this.redis, (tenant) -> {
		});
		for (int i = 0; i < 1500; i++) {
			trail.success(this.caller, AuditEvent.Operation.LOGIN);
		}
		List<AuditEvent> seen = new ArrayList<>();
		AuditRelay relay = new AuditRelay(this.redis, (events) -> {
			if (seen.isEmpty()) {
				// Written after the relay read its first batch: beyond it in the outbox.
				trail.success(this.caller, AuditEvent.Operation.LOGOUT);
			}
			seen.addAll(events);
		});

		int count = relay.relay(this.tenant);

		assertThat(count).isEqualTo(1501);
		assertThat(seen).extracting(AuditEvent::eventId).doesNotHaveDuplicates();
		assertThat(seen.getLast().operation()).isEqualTo("logout");
		assertThat(this.redis.opsForStream().size(RedisKeys.outbox(this.tenant))).isZero();
	}

	/** Events a crash left in an outbox, with no write to wake the relay for them. */
	@Test
	void relaysTheOutboxesLeftBehindSoonAfterItStarts() {
		AuditTrail trail = new AuditTrail(this.redis, (tenant) -> {
		});
		trail.success(this.caller, AuditEvent.Operation.LOGIN);
		List<AuditEvent> seen = new CopyOnWriteArrayList<>();
		AuditRelay relay = new AuditRelay(this.redis, seen::addAll, Duration.ZERO);

		relay.start();
		try {
			await().atMost(Duration.ofSeconds(30))
				.until(() -> seen.stream().anyMatch((event) -> event.eventId().startsWith(this.tenant + ":")));
		}
		finally {
			relay.stop();
		}
		assertThat(this.redis.opsForStream().size(RedisKeys.outbox(this.tenant))).isZero();
	}

	/**
	 * The start-up sweep's index: an outbox is in it while it holds events, and only
	 * then.
	 */
	@Test
	void indexesAnOutboxWhileItHoldsEvents() {
		this.entries.create(this.caller, new NewEntry("k", IntNode.valueOf(1), null, Map.of())).block();
		assertThat(indexed(this.redis, this.tenant)).isTrue();

		this.relay.relay(this.tenant);
		assertThat(indexed(this.redis, this.tenant)).isFalse();

		new AuditTrail(this.redis, (tenant) -> {
		}).success(this.caller, AuditEvent.Operation.LOGIN);
		assertThat(indexed(this.redis, this.tenant)).isTrue();
		this.relay.relay(this.tenant);
		assertThat(indexed(this.redis, this.tenant)).isFalse();
	}

	/**
	 * The sweep after a start reads the indexes, never the keyspace: an outbox nothing
	 * indexed (no write leaves one) is not found, an indexed one is.
	 */
	@Test
	void theStartUpSweepReadsTheIndexesNotTheKeyspace() {
		this.redis.opsForValue().set(RedisKeys.outboxesIndexed(), "1");
		TenantId unindexed = TestRedis.newTenant();
		writeUnindexed(this.redis, unindexed);
		new AuditTrail(this.redis, (tenant) -> {
		}).success(this.caller, AuditEvent.Operation.LOGIN);
		try {
			assertThat(this.relay.wakeLeftovers()).isTrue();

			assertThat(this.relay.waitingTenants(Integer.MAX_VALUE)).contains(this.tenant).doesNotContain(unindexed);
		}
		finally {
			this.redis.delete(RedisKeys.outbox(unindexed));
			this.relay.relay(this.tenant);
		}
	}

	/**
	 * A store written before outboxes were indexed: the first sweep scans the keyspace
	 * once, indexes what it finds and says so; a Redis of the test's own, so that the
	 * scan sees only this test's keys.
	 */
	@Test
	@Tag(RedisCluster.OWN_REDIS)
	void indexesTheOutboxesWrittenBeforeTheIndexOnce() {
		try (RedisProcess own = RedisProcess.start()) {
			LettuceConnectionFactory connections = new LettuceConnectionFactory(
					new RedisStandaloneConfiguration("127.0.0.1", own.port()));
			connections.afterPropertiesSet();
			connections.start();
			try {
				StringRedisTemplate redis = new StringRedisTemplate(connections);
				TenantId old = TenantId.random();
				writeUnindexed(redis, old);
				AuditRelay relay = new AuditRelay(redis, (events) -> {
				});

				assertThat(relay.wakeLeftovers()).isTrue();

				assertThat(indexed(redis, old)).isTrue();
				assertThat(redis.hasKey(RedisKeys.outboxesIndexed())).isTrue();
				assertThat(relay.waitingTenants(10)).containsExactly(old);
			}
			finally {
				connections.destroy();
			}
		}
	}

	private static boolean indexed(StringRedisTemplate redis, TenantId tenant) {
		return Boolean.TRUE.equals(redis.opsForSet().isMember(RedisKeys.outboxIndex(tenant), tenant.toString()));
	}

	/** An event as outboxes held them before the index: written to the stream alone. */
	private static void writeUnindexed(StringRedisTemplate redis, TenantId tenant) {
		redis.opsForStream()
			.add(StreamRecords.string(Map.of("op", "login", "outcome", "success", "ts", "1"))
				.withStreamKey(RedisKeys.outbox(tenant)));
	}

	@Test
	void anEmptiedOutboxKeepsItsLastIdSoTheNextEventGetsAGreaterOne() {
		AuditTrail trail = new AuditTrail(this.redis, (tenant) -> {
		});
		trail.success(this.caller, AuditEvent.Operation.LOGIN);
		this.relay.relay(this.tenant);
		String first = streamId(this.delivered.getLast());

		assertThat(this.redis.opsForStream().info(RedisKeys.outbox(this.tenant)).lastGeneratedId()).isEqualTo(first);
		trail.success(this.caller, AuditEvent.Operation.LOGOUT);
		this.relay.relay(this.tenant);

		RecordId before = RecordId.of(first);
		RecordId after = RecordId.of(streamId(this.delivered.getLast()));
		assertThat(after.getTimestamp() > before.getTimestamp()
				|| (after.getTimestamp().equals(before.getTimestamp()) && after.getSequence() > before.getSequence()))
			.as("%s after %s", after, before)
			.isTrue();
	}

	@Test
	void removesTheEmptiedOutboxOfAnAccountThatIsGone() {
		AuditTrail trail = new AuditTrail(this.redis, (tenant) -> {
		});
		trail.success(this.caller, AuditEvent.Operation.ACCOUNT_DELETE);
		this.redis.delete(RedisKeys.account(this.tenant));

		this.relay.relay(this.tenant);

		assertThat(this.delivered).extracting(AuditEvent::operation).containsExactly("account_delete");
		assertThat(this.redis.hasKey(RedisKeys.outbox(this.tenant))).isFalse();
	}

	private static String streamId(AuditEvent event) {
		return event.eventId().substring(event.eventId().indexOf(':') + 1);
	}

	@Test
	void recordsSecurityEventsBesideKeyChanges() {
		AuditTrail trail = new AuditTrail(this.redis, (tenant) -> {
		});

		trail.success(this.caller, AuditEvent.Operation.LOGIN);
		trail.failure(this.caller, AuditEvent.Operation.LOGIN);
		this.relay.relay(this.tenant);

		assertThat(this.delivered).extracting(AuditEvent::operation, AuditEvent::outcome)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("login", "success"),
					org.assertj.core.groups.Tuple.tuple("login", "failure"));
		assertThat(this.delivered).allSatisfy((event) -> assertThat(event.key()).isNull());
	}

}
