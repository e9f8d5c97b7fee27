package dev.kvstore.kv;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.StringNode;

import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.kvstore.TestRedis;
import dev.kvstore.kv.Responses.BulkRead;
import dev.kvstore.kv.Responses.EntryPage;
import dev.kvstore.auth.AccountRepository;
import dev.kvstore.problem.ApiException;
import dev.kvstore.redis.RedisKeys;
import dev.kvstore.tenant.Caller;
import dev.kvstore.tenant.Grant;
import dev.kvstore.tenant.TenantId;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The repository against the real Redis, looking at the keys it leaves behind.
 */
class EntryRepositoryTests {

	private final StringRedisTemplate redis = TestRedis.template();

	private final EntryRepository entries = new EntryRepository(TestRedis.scripts(),
			KvSettings.DEFAULTS.withoutTenantLimits());

	private final TenantId tenant = TestRedis.newTenant();

	private final Caller caller = Caller.system(this.tenant);

	@Test
	void keepsEachEntryUnderOneRedisKeyWhateverTheKeyHolds() {
		List<String> keys = List.of("x", "x:metadata", "e:x", "keys", "expiry", "user", "tag:a:b", "{other}", "*");

		keys.forEach((key) -> this.entries.create(this.caller, entry(key, Map.of("a", "b"), null)).block());

		List<String> expected = new ArrayList<>(List.of(RedisKeys.account(this.tenant), prefix() + "keys",
				prefix() + "tag:a:b", RedisKeys.outbox(this.tenant)));
		keys.forEach((key) -> expected.add(RedisKeys.entry(this.tenant, key)));
		assertThat(tenantKeys()).containsExactlyInAnyOrderElementsOf(expected);
		assertThat(this.entries.find(this.caller, "x").block().value()).isEqualTo("\"value of x\"");
		assertThat(this.entries.count(this.caller).block()).isEqualTo(keys.size());
	}

	@Test
	void removesExpiredEntriesAndTheirIndexesWhenListing() {
		this.entries.create(this.caller, entry("brief", Map.of("t", "x"), 1L)).block();
		this.entries.create(this.caller, entry("lasting", Map.of("t", "x"), null)).block();
		await().atMost(Duration.ofSeconds(5)).until(() -> !this.entries.exists(this.caller, "brief").block());

		var page = this.entries.page(this.caller, new PageQuery(1, 10, "t:x")).block();

		assertThat(page.items()).extracting(Entry::key).containsExactly("lasting");
		assertThat(page.total()).isEqualTo(1);
		assertThat(this.redis.hasKey(RedisKeys.entry(this.tenant, "brief"))).isFalse();
		assertThat(this.redis.opsForZSet().range(prefix() + "tag:t:x", 0, -1)).containsExactly("lasting");
		assertThat(this.redis.hasKey(prefix() + "expiry")).isFalse();
	}

	@Test
	void walksOnlyAnApiKeysPrefixWhereverTheCursorPoints() {
		for (String key : List.of("aaa", "app/a", "app/b", "zzz")) {
			this.entries.create(this.caller, new NewEntry(key, StringNode.valueOf("v"), null, Map.of())).block();
		}
		Caller withKey = this.caller.as(this.caller.requiredTenant(), new Grant("0123456789abcdef", false, "app/"));
		PageQuery walk = new PageQuery(null, null, null, null, false, null, 10, null);

		assertThat(walked(withKey, walk, "")).containsExactly("app/a", "app/b");
		assertThat(walked(withKey, walk, "aaa")).containsExactly("app/a", "app/b");
		assertThat(walked(withKey, walk, "app/a")).containsExactly("app/b");
		assertThat(walked(withKey, walk, "zzz")).isEmpty();
		assertThat(walked(this.caller, walk, "aaa")).containsExactly("app/a", "app/b", "zzz");
	}

	private List<String> walked(Caller caller, PageQuery query, String after) {
		return this.entries.walk(caller, query, after).block().items().stream().map(Entry::key).toList();
	}

	@Test
	void stopsABulkReadAtItsSizeInBytesAndNamesTheUnreadKeys() {
		EntryRepository small = new EntryRepository(TestRedis.scripts(), new KvSettings(256, 4096, 0, 0, 0, 1024));
		for (int i = 0; i < 4; i++) {
			small.create(this.caller, new NewEntry("k" + i, StringNode.valueOf("v".repeat(300)), null, Map.of()))
				.block();
		}

		BulkRead read = small.findMany(this.caller, new KeyBatch(List.of("k0", "nope", "k1", "k2", "k3"), Map.of()))
			.block();

		assertThat(read.items()).extracting(Entry::key).containsExactly("k0", "k1");
		assertThat(read.missing()).containsExactly("nope");
		assertThat(read.unread()).containsExactly("k2", "k3");
	}

	/**
	 * A page stops before the entry that would take it past its size in bytes, says where
	 * the next starts, and the pages together hold every entry once.
	 */
	@Test
	void cutsAPageShortAtItsSizeInBytesAndContinuesWhereItStopped() {
		EntryRepository small = new EntryRepository(TestRedis.scripts(), new KvSettings(256, 4096, 0, 0, 0, 1024));
		String value = "v".repeat(300);
		for (int i = 0; i < 5; i++) {
			small.create(this.caller, new NewEntry("k" + i, StringNode.valueOf(value), null, Map.of())).block();
		}

		List<String> seen = new ArrayList<>();
		List<Long> nextOffsets = new ArrayList<>();
		Long offset = 0L;
		while (offset != null) {
			EntryPage page = small.page(this.caller, new PageQuery(1, 10, null, offset, false)).block();
			page.items().forEach((entry) -> seen.add(entry.key()));
			nextOffsets.add(page.nextOffset());
			offset = page.nextOffset();
		}

		assertThat(seen).containsExactly("k0", "k1", "k2", "k3", "k4");
		assertThat(nextOffsets).containsExactly(2L, 4L, null);
		EntryPage keysOnly = small.page(this.caller, new PageQuery(1, 10, null, null, true)).block();
		assertThat(keysOnly.items()).hasSize(5).allSatisfy((entry) -> assertThat(entry.value()).isNull());
		assertThat(keysOnly.nextOffset()).isNull();
	}

	@Test
	void refusesEveryOperationOnceTheAccountIsGone() {
		this.entries.create(this.caller, entry("k", Map.of(), null)).block();

		this.redis.delete(RedisKeys.account(this.tenant));

		assertThatExceptionOfType(ApiException.Unauthorized.class)
			.isThrownBy(() -> this.entries.find(this.caller, "k").block());
		assertThatExceptionOfType(ApiException.Unauthorized.class)
			.isThrownBy(() -> this.entries.create(this.caller, entry("other", Map.of(), null)).block());
		assertThatExceptionOfType(ApiException.Unauthorized.class)
			.isThrownBy(() -> this.entries.count(this.caller).block());
		assertThatExceptionOfType(ApiException.Unauthorized.class)
			.isThrownBy(() -> this.entries.page(this.caller, new PageQuery(1, 10, null)).block());
	}

	@Test
	void deletesEveryKeyOfATenantInBatches() {
		for (int i = 0; i < 1200; i += 100) {
			this.entries
				.createAll(this.caller, IntStream.range(i, i + 100)
					.mapToObj((n) -> entry("k" + n, Map.of("n", Integer.toString(n % 3)), (n % 2 == 0) ? 3600L : null))
					.toList())
				.block();
		}
		new AccountRepository(this.redis).delete(new AccountRepository(this.redis).find(this.tenant).orElseThrow());

		new TenantSweeps(TestRedis.scripts(), KvSettings.DEFAULTS).deleteAll(this.tenant).block();

		assertThat(tenantKeys()).containsExactly(RedisKeys.outbox(this.tenant));
	}

	@Test
	void versionsOnlyGrow() {
		this.entries.create(this.caller, entry("k", Map.of(), null)).block();

		long second = this.entries.update(this.caller, new EntryUpdate("k", StringNode.valueOf("2"), null, null))
			.block()
			.metadata()
			.version();
		long third = this.entries.update(this.caller, new EntryUpdate("k", null, Expiry.NEVER, Map.of()))
			.block()
			.metadata()
			.version();

		assertThat(List.of(second, third)).containsExactly(2L, 3L);
	}

	private static NewEntry entry(String key, Map<String, String> tags, Long ttl) {
		return new NewEntry(key, StringNode.valueOf("value of " + key), ttl, tags);
	}

	private String prefix() {
		return RedisKeys.tenant(this.tenant);
	}

	private Set<String> tenantKeys() {
		Set<String> found = new HashSet<>();
		try (var cursor = this.redis
			.scan(ScanOptions.scanOptions().match("kv:{" + this.tenant + "}:*").count(1000).build())) {
			cursor.forEachRemaining(found::add);
		}
		return found;
	}

}
