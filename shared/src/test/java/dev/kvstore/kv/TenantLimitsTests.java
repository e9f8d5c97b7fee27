package dev.kvstore.kv;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.IntNode;
import tools.jackson.databind.node.StringNode;

import dev.kvstore.TestRedis;
import dev.kvstore.problem.ApiException;
import dev.kvstore.redis.RedisKeys;
import dev.kvstore.tenant.Caller;
import dev.kvstore.tenant.TenantId;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A tenant's quotas (keys, value bytes) and rate, enforced inside the scripts: a write
 * that would break a quota writes nothing, and expired entries never count against one.
 */
class TenantLimitsTests {

	private final TenantId tenant = TestRedis.newTenant();

	private final Caller caller = Caller.system(this.tenant);

	@Test
	void refusesTheKeyPastTheQuotaAndABatchWhole() {
		EntryRepository entries = repository(3, 0, 0);
		entries.create(this.caller, entry("a", 1)).block();
		entries.create(this.caller, entry("b", 1)).block();

		assertThatExceptionOfType(ApiException.QuotaExceeded.class)
			.isThrownBy(() -> entries.createAll(this.caller, List.of(entry("c", 1), entry("d", 1))).block())
			.satisfies((ex) -> assertThat(ex.limit()).isEqualTo("tenant_max_keys"));
		assertThat(entries.count(this.caller).block()).isEqualTo(2);
		assertThat(entries.exists(this.caller, "c").block()).isFalse();

		entries.create(this.caller, entry("c", 1)).block();
		assertThatExceptionOfType(ApiException.QuotaExceeded.class)
			.isThrownBy(() -> entries.create(this.caller, entry("d", 1)).block());
		entries.delete(this.caller, "a").block();
		entries.create(this.caller, entry("d", 1)).block();
	}

	@Test
	void expiredEntriesLeaveRoomUnderTheQuotas() {
		// Each of these entries costs about 80 bytes (see the next test).
		EntryRepository entries = repository(2, 200, 0);
		entries
			.createAll(this.caller, List.of(new NewEntry("a", text("12345678"), 1L, Map.of()),
					new NewEntry("b", text("12345678"), 1L, Map.of())))
			.block();
		await().atMost(Duration.ofSeconds(5)).until(() -> entries.count(this.caller).block() == 0);

		entries.createAll(this.caller, List.of(entry("c", text("12345678")), entry("d", text("12345678")))).block();

		assertThat(entries.count(this.caller).block()).isEqualTo(2);
	}

	/**
	 * An entry with a one-character key, no tags and no TTL costs 64 bytes (its hash and
	 * metadata), 2 for its key (the entry and the key index), 2 for its tags ({@code {}})
	 * and its value's JSON.
	 */
	@Test
	void countsWhatEntriesCostThroughCreateUpdateAndDelete() {
		EntryRepository entries = repository(0, 150, 0);
		entries.create(this.caller, entry("a", text("123456"))).block(); // 76

		assertQuotaRefuses(() -> entries.create(this.caller, entry("b", text("1234567"))).block()); // 77
		entries.create(this.caller, entry("b", text("1"))).block(); // 71: 147 in all
		assertQuotaRefuses(
				() -> entries.update(this.caller, new EntryUpdate("a", text("12345678901"), null, null)).block());
		assertThat(entries.find(this.caller, "a").block().value()).isEqualTo("\"123456\"");
		entries.update(this.caller, new EntryUpdate("a", text("12345678"), null, null)).block(); // 78:
																									// 149
		assertQuotaRefuses(
				() -> entries.update(this.caller, new EntryUpdate("a", null, null, Map.of("t", "x"))).block());
		entries.delete(this.caller, "a").block();
		entries.create(this.caller, entry("c", text("1"))).block();

		assertThat(entries.count(this.caller).block()).isEqualTo(2);
		assertThat(storedBytes()).isEqualTo(142);
	}

	/** The review's case: a 1-byte value under a long key with long tags. */
	@Test
	void countsKeysTagsAndIndexesNotOnlyValues() {
		EntryRepository entries = repository(0, 1000, 0);
		Map<String, String> tags = Map.of("n".repeat(100), "v".repeat(100), "m".repeat(100), "w".repeat(100));

		assertQuotaRefuses(
				() -> entries.create(this.caller, new NewEntry("k".repeat(200), IntNode.valueOf(1), null, tags))
					.block());

		assertThat(entries.count(this.caller).block()).isZero();
		assertThat(storedBytes()).isZero();
	}

	@Test
	void keepsTheByteCountExactThroughEveryChange() {
		EntryRepository entries = repository(0, 0, 0);
		entries.create(this.caller, new NewEntry("a", text("value"), 3600L, Map.of("colour", "red"))).block();
		entries.createAll(this.caller, List.of(entry("b", 1), new NewEntry("c", text("x"), null, Map.of("k", "v"))))
			.block();
		entries.update(this.caller, new EntryUpdate("a", text("longer value"), Expiry.NEVER, Map.of())).block();
		entries.update(this.caller, new EntryUpdate("b", null, new Expiry(60L), Map.of("size", "s", "shape", "round")))
			.block();
		entries.create(this.caller, new NewEntry("brief", text("gone soon"), 1L, Map.of("t", "1"))).block();
		assertThat(storedBytes()).isEqualTo(sumOfEntryCosts("a", "b", "c", "brief"));

		await().atMost(Duration.ofSeconds(5)).until(() -> !entries.exists(this.caller, "brief").block());
		new TenantSweeps(TestRedis.scripts(), KvSettings.DEFAULTS).removeExpired(this.tenant, 100).block();
		assertThat(storedBytes()).isEqualTo(sumOfEntryCosts("a", "b", "c"));
		entries.delete(this.caller, "a").block();
		entries.deleteMany(this.caller, new KeyBatch(List.of("b", "never", "c"), Map.of())).block();

		assertThat(storedBytes()).isZero();
	}

	@Test
	void countsEachKeyOfABulkOperationAgainstTheRate() {
		EntryRepository entries = repository(0, 0, 5);
		entries.create(this.caller, entry("a", 1)).block();
		// This second's count so far, kept for a minute so that no new window starts
		// under the test.
		TestRedis.template().opsForValue().set(RedisKeys.tenant(this.tenant) + "rate", "3", Duration.ofMinutes(1));
		KeyBatch three = new KeyBatch(List.of("a", "b", "c"), Map.of());

		assertThatExceptionOfType(ApiException.RateLimited.class)
			.isThrownBy(() -> entries.findMany(this.caller, three).block());
		// The refused batch took its three back: two single operations still fit.
		entries.find(this.caller, "a").block();
		entries.find(this.caller, "a").block();
		assertThatExceptionOfType(ApiException.RateLimited.class)
			.isThrownBy(() -> entries.find(this.caller, "a").block());
	}

	@Test
	void refusesABulkOperationHeavierThanTheWholeRate() {
		EntryRepository entries = repository(0, 0, 5);
		KeyBatch six = new KeyBatch(List.of("a", "b", "c", "d", "e", "f"), Map.of());

		assertThatExceptionOfType(ApiException.Invalid.class)
			.isThrownBy(() -> entries.findMany(this.caller, six).block())
			.withMessageContaining("split it");
		assertThatExceptionOfType(ApiException.Invalid.class)
			.isThrownBy(() -> entries.deleteMany(this.caller, six).block());
		entries.create(this.caller, entry("a", 1)).block();
	}

	private long storedBytes() {
		Object bytes = TestRedis.template().opsForHash().get(RedisKeys.account(this.tenant), "bytes");
		return (bytes != null) ? Long.parseLong((String) bytes) : 0;
	}

	private long sumOfEntryCosts(String... keys) {
		long sum = 0;
		for (String key : keys) {
			sum += Long
				.parseLong((String) TestRedis.template().opsForHash().get(RedisKeys.entry(this.tenant, key), "cost"));
		}
		return sum;
	}

	private static void assertQuotaRefuses(Runnable write) {
		assertThatExceptionOfType(ApiException.QuotaExceeded.class).isThrownBy(write::run)
			.satisfies((ex) -> assertThat(ex.limit()).isEqualTo("tenant_max_bytes"));
	}

	@Test
	void refusesOperationsPastTheRateWithWhenToRetry() {
		EntryRepository entries = repository(0, 0, 5);
		entries.create(this.caller, entry("a", 1)).block();
		for (int i = 0; i < 4; i++) {
			entries.find(this.caller, "a").block();
		}

		assertThatExceptionOfType(ApiException.RateLimited.class)
			.isThrownBy(() -> entries.find(this.caller, "a").block())
			.satisfies((ex) -> {
				assertThat(ex.limit()).isEqualTo("tenant_ops_per_second");
				assertThat(ex.retryAfterSeconds()).isEqualTo(1);
			});
		TenantId other = TestRedis.newTenant();
		entries.create(Caller.system(other), entry("a", 1)).block();
	}

	private static EntryRepository repository(long maxKeys, long maxBytes, int opsPerSecond) {
		return new EntryRepository(TestRedis.scripts(), new KvSettings(256, 1024, maxKeys, maxBytes, opsPerSecond));
	}

	private static NewEntry entry(String key, int value) {
		return entry(key, IntNode.valueOf(value));
	}

	private static NewEntry entry(String key, JsonNode value) {
		return new NewEntry(key, value, null, Map.of());
	}

	private static JsonNode text(String value) {
		return StringNode.valueOf(value);
	}

}
