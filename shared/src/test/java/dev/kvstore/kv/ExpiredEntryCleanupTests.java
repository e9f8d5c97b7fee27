package dev.kvstore.kv;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.node.IntNode;

import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.kvstore.TestRedis;
import dev.kvstore.audit.AuditEvent;
import dev.kvstore.audit.AuditRelay;
import dev.kvstore.redis.RedisKeys;
import dev.kvstore.tenant.Caller;
import dev.kvstore.tenant.TenantId;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ExpiredEntryCleanupTests {

	private final StringRedisTemplate redis = TestRedis.template();

	private final EntryRepository entries = new EntryRepository(TestRedis.scripts(), KvSettings.DEFAULTS);

	private final TenantSweeps sweeps = new TenantSweeps(TestRedis.scripts(), KvSettings.DEFAULTS);

	private final ExpiredEntryCleanup cleanup = new ExpiredEntryCleanup(this.redis, this.sweeps);

	private final List<AuditEvent> delivered = new ArrayList<>();

	private final AuditRelay relay = new AuditRelay(this.redis, this.delivered::addAll);

	private final TenantId tenant = TestRedis.newTenant();

	private final Caller caller = Caller.system(this.tenant);

	@AfterEach
	void dropTenant() {
		TestRedis.dropTenant(this.tenant, this.sweeps::deleteAll);
	}

	@Test
	void touchesOnlyTheExpiredEntriesOfALargeTenant() {
		cleanWhatOthersLeftExpired();
		for (int chunk = 0; chunk < 100; chunk++) {
			int first = chunk * 1000;
			this.entries
				.createAll(this.caller,
						IntStream.range(first, first + 1000).mapToObj((i) -> entry("live-" + i, null)).toList())
				.block();
		}
		this.entries.createAll(this.caller, IntStream.range(0, 100).mapToObj((i) -> entry("brief-" + i, 1L)).toList())
			.block();
		this.relay.relay(this.tenant);
		this.delivered.clear();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.entries.count(this.caller).block() == 100_000);
		long zremBefore = calls("zrem");
		long hgetBefore = calls("hget") + calls("hmget");

		this.cleanup.cleanExpired();

		assertThat(calls("zrem") - zremBefore).as("ZREM calls").isBetween(200L, 220L);
		// Per expired entry: its tags, to declare their indexes; its version, for the
		// event;
		// its cost and tags, to remove it.
		assertThat(calls("hget") + calls("hmget") - hgetBefore).as("HGET and HMGET calls").isBetween(300L, 320L);
		this.relay.relay(this.tenant);
		assertThat(this.delivered).hasSize(100).allSatisfy((event) -> {
			assertThat(event.operation()).isEqualTo("expire");
			assertThat(event.key()).startsWith("brief-");
		});
		assertThat(this.redis.opsForZSet().size(RedisKeys.tenant(this.tenant) + "keys")).isEqualTo(100_000);
		assertThat(this.redis.opsForZSet().score(RedisKeys.expirySchedule(), this.tenant.toString())).isNull();
	}

	@Test
	void twoCleanupsAtOnceRemoveEachEntryOnce() {
		this.entries.createAll(this.caller, IntStream.range(0, 300).mapToObj((i) -> entry("brief-" + i, 1L)).toList())
			.block();
		this.entries.create(this.caller, entry("later", 3600L)).block();
		this.relay.relay(this.tenant);
		this.delivered.clear();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.entries.count(this.caller).block() == 1);

		var one = CompletableFuture.supplyAsync(this.cleanup::cleanExpired);
		var two = CompletableFuture.supplyAsync(this.cleanup::cleanExpired);
		int removed = one.join().removed() + two.join().removed();
		this.relay.relay(this.tenant);

		assertThat(removed).isGreaterThanOrEqualTo(300);
		assertThat(this.delivered).hasSize(300);
		assertThat(this.delivered).extracting(AuditEvent::key).doesNotHaveDuplicates();
		assertThat(this.redis.opsForZSet().score(RedisKeys.expirySchedule(), this.tenant.toString()))
			.isGreaterThan(System.currentTimeMillis() + 3_000_000.0);
	}

	/**
	 * A TTL entry written between a pass and the reschedule: its relay finds the tenant
	 * still scheduled at the passed time, earlier than its expiry, so it changes nothing;
	 * the reschedule must not then drop the tenant.
	 */
	@Test
	void keepsTheScheduleOfAnEntryWrittenWhileATenantIsCleaned() {
		this.entries.create(this.caller, entry("brief", 1L)).block();
		this.relay.relay(this.tenant);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.entries.count(this.caller).block() == 0);
		TenantId cleaned = this.tenant;
		TenantSweeps racing = new TenantSweeps(TestRedis.scripts(), KvSettings.DEFAULTS) {
			@Override
			public Mono<Cleanup> removeExpired(TenantId tenant, int limit) {
				Mono<Cleanup> pass = super.removeExpired(tenant, limit);
				if (!tenant.equals(cleaned)) {
					return pass; // other tests' tenants, due in the shared Redis
				}
				// Off Lettuce's thread: the racing write waits for Redis.
				return pass.publishOn(Schedulers.boundedElastic()).doOnNext((done) -> {
					ExpiredEntryCleanupTests.this.entries
						.create(ExpiredEntryCleanupTests.this.caller, entry("late", 3600L))
						.block();
					ExpiredEntryCleanupTests.this.relay.relay(tenant);
				});
			}
		};

		new ExpiredEntryCleanup(this.redis, racing).cleanExpired();

		assertThat(this.redis.opsForZSet().score(RedisKeys.expirySchedule(), this.tenant.toString()))
			.isGreaterThan(System.currentTimeMillis() + 3_000_000.0);
	}

	private static NewEntry entry(String key, Long ttl) {
		return new NewEntry(key, IntNode.valueOf(1), ttl, Map.of());
	}

	/**
	 * The cleanup covers every tenant of the shared Redis, where other runs leave entries
	 * that expire later (a bench's created keys live an hour): their removal would count
	 * in the command statistics this test reads, so it goes first.
	 */
	private void cleanWhatOthersLeftExpired() {
		for (int run = 0; run < 1000 && this.cleanup.cleanExpired().removed() > 0; run++) {
			// each run removes a bounded part
		}
	}

	/**
	 * Calls of a command so far, summed over every node (a cluster prefixes each node's).
	 */
	private long calls(String command) {
		Properties stats = this.redis
			.execute((RedisCallback<Properties>) (connection) -> connection.serverCommands().info("commandstats"));
		String name = "cmdstat_" + command;
		return stats.stringPropertyNames()
			.stream()
			.filter((property) -> property.equals(name) || property.endsWith("." + name))
			.map(stats::getProperty)
			.mapToLong((line) -> Long
				.parseLong(line.substring(line.indexOf("calls=") + 6, line.indexOf(',', line.indexOf("calls=")))))
			.sum();
	}

}
