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
		EntryRepository entries = repository(2, 20, 0);
		entries
			.createAll(this.caller, List.of(new NewEntry("a", text("12345678"), 1L, Map.of()),
					new NewEntry("b", text("12345678"), 1L, Map.of())))
			.block();
		await().atMost(Duration.ofSeconds(5)).until(() -> entries.count(this.caller).block() == 0);

		entries.createAll(this.caller, List.of(entry("c", text("12345678")), entry("d", text("12345678")))).block();

		assertThat(entries.count(this.caller).block()).isEqualTo(2);
	}

	@Test
	void countsValueBytesThroughCreateUpdateAndDelete() {
		EntryRepository entries = repository(0, 10, 0);
		entries.create(this.caller, entry("a", text("123456"))).block(); // 8 bytes of
																			// JSON

		assertThatExceptionOfType(ApiException.QuotaExceeded.class)
			.isThrownBy(() -> entries.create(this.caller, entry("b", text("1"))).block())
			.satisfies((ex) -> assertThat(ex.limit()).isEqualTo("tenant_max_bytes"));
		assertThatExceptionOfType(ApiException.QuotaExceeded.class)
			.isThrownBy(() -> entries.update(this.caller, new EntryUpdate("a", text("123456789"), null, null)).block());
		assertThat(entries.find(this.caller, "a").block().value()).isEqualTo("\"123456\"");

		entries.update(this.caller, new EntryUpdate("a", text("1234"), null, null)).block(); // 6
		// bytes
		entries.create(this.caller, entry("b", IntNode.valueOf(1234))).block();
		entries.delete(this.caller, "a").block();
		entries.create(this.caller, entry("c", text("1234"))).block();
		assertThat(entries.count(this.caller).block()).isEqualTo(2);
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
