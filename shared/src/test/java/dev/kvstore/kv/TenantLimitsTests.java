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

	@Test
	void refusesTheKeyPastTheQuotaAndABatchWhole() {
		EntryRepository entries = repository(3, 0, 0);
		entries.create(this.tenant, entry("a", 1));
		entries.create(this.tenant, entry("b", 1));

		assertThatExceptionOfType(ApiException.QuotaExceeded.class)
			.isThrownBy(() -> entries.createAll(this.tenant, List.of(entry("c", 1), entry("d", 1))))
			.satisfies((ex) -> assertThat(ex.limit()).isEqualTo("tenant_max_keys"));
		assertThat(entries.count(this.tenant)).isEqualTo(2);
		assertThat(entries.exists(this.tenant, "c")).isFalse();

		entries.create(this.tenant, entry("c", 1));
		assertThatExceptionOfType(ApiException.QuotaExceeded.class)
			.isThrownBy(() -> entries.create(this.tenant, entry("d", 1)));
		entries.delete(this.tenant, "a");
		entries.create(this.tenant, entry("d", 1));
	}

	@Test
	void expiredEntriesLeaveRoomUnderTheQuotas() {
		EntryRepository entries = repository(2, 20, 0);
		entries.createAll(this.tenant, List.of(new NewEntry("a", text("12345678"), 1L, Map.of()),
				new NewEntry("b", text("12345678"), 1L, Map.of())));
		await().atMost(Duration.ofSeconds(5)).until(() -> entries.count(this.tenant) == 0);

		entries.createAll(this.tenant, List.of(entry("c", text("12345678")), entry("d", text("12345678"))));

		assertThat(entries.count(this.tenant)).isEqualTo(2);
	}

	@Test
	void countsValueBytesThroughCreateUpdateAndDelete() {
		EntryRepository entries = repository(0, 10, 0);
		entries.create(this.tenant, entry("a", text("123456"))); // 8 bytes of JSON

		assertThatExceptionOfType(ApiException.QuotaExceeded.class)
			.isThrownBy(() -> entries.create(this.tenant, entry("b", text("1"))))
			.satisfies((ex) -> assertThat(ex.limit()).isEqualTo("tenant_max_bytes"));
		assertThatExceptionOfType(ApiException.QuotaExceeded.class)
			.isThrownBy(() -> entries.update(this.tenant, new EntryUpdate("a", text("123456789"), null, null)));
		assertThat(entries.find(this.tenant, "a").value()).isEqualTo("\"123456\"");

		entries.update(this.tenant, new EntryUpdate("a", text("1234"), null, null)); // 6
																						// bytes
		entries.create(this.tenant, entry("b", IntNode.valueOf(1234)));
		entries.delete(this.tenant, "a");
		entries.create(this.tenant, entry("c", text("1234")));
		assertThat(entries.count(this.tenant)).isEqualTo(2);
	}

	@Test
	void refusesOperationsPastTheRateWithWhenToRetry() {
		EntryRepository entries = repository(0, 0, 5);
		entries.create(this.tenant, entry("a", 1));
		for (int i = 0; i < 4; i++) {
			entries.find(this.tenant, "a");
		}

		assertThatExceptionOfType(ApiException.RateLimited.class).isThrownBy(() -> entries.find(this.tenant, "a"))
			.satisfies((ex) -> {
				assertThat(ex.limit()).isEqualTo("tenant_ops_per_second");
				assertThat(ex.retryAfterSeconds()).isEqualTo(1);
			});
		TenantId other = TestRedis.newTenant();
		entries.create(other, entry("a", 1));
	}

	private static EntryRepository repository(long maxKeys, long maxBytes, int opsPerSecond) {
		return new EntryRepository(TestRedis.template(), new KvSettings(256, 1024, maxKeys, maxBytes, opsPerSecond));
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
