package dev.kvstore.functions.kv;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.IntNode;
import tools.jackson.databind.node.StringNode;

import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

import dev.kvstore.TestRedis;
import dev.kvstore.auth.TokenSettings;
import dev.kvstore.functions.ApiTest;
import dev.kvstore.kv.CountQuery;
import dev.kvstore.kv.EntryKey;
import dev.kvstore.kv.EntryRepository;
import dev.kvstore.kv.EntryUpdate;
import dev.kvstore.kv.KvSettings;
import dev.kvstore.kv.NewEntries;
import dev.kvstore.kv.NewEntry;
import dev.kvstore.kv.PageQuery;
import dev.kvstore.kv.Responses.Deleted;
import dev.kvstore.kv.Responses.EntryPage;
import dev.kvstore.problem.ApiException;
import dev.kvstore.tenant.Caller;
import dev.kvstore.tenant.TenantId;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The key function beans called directly, without Spring, over the real Redis.
 */
class KeyFunctionsTests {

	private static final Cursors CURSORS = new Cursors(
			new TokenSettings(ApiTest.SECRET, List.of(), Duration.ofMinutes(30), Duration.ofDays(7)));

	private final KeyFunctions functions = new KeyFunctions();

	private final EntryRepository entries = new EntryRepository(TestRedis.scripts(), KvSettings.DEFAULTS);

	private final TenantId tenant = TestRedis.newTenant();

	@Test
	void createsThenReadsThenUpdatesThenDeletes() {
		var created = this.functions.createKey(this.entries)
			.apply(as(this.tenant, new NewEntry("k", IntNode.valueOf(1), 60L, Map.of("a", "b"))))
			.block();
		var read = this.functions.getKey(this.entries).apply(as(this.tenant, new EntryKey("k"))).block();
		var updated = this.functions.updateKey(this.entries)
			.apply(as(this.tenant, new EntryUpdate("k", StringNode.valueOf("two"), null, null)))
			.block();
		Deleted deleted = this.functions.deleteKey(this.entries).apply(as(this.tenant, new EntryKey("k"))).block();

		assertThat(read).isEqualTo(created);
		assertThat(updated.value()).isEqualTo("\"two\"");
		assertThat(updated.metadata().version()).isEqualTo(2);
		assertThat(updated.metadata().tags()).isEqualTo(Map.of("a", "b"));
		assertThat(deleted.message()).isEqualTo("Key deleted successfully");
		assertThat(this.functions.keyExists(this.entries).apply(as(this.tenant, new EntryKey("k"))).block().exists())
			.isFalse();
	}

	@Test
	void countsListsAndBatchesWithinTheCallersTenantOnly() {
		TenantId other = TestRedis.newTenant();
		this.functions.createKeys(this.entries)
			.apply(as(this.tenant,
					new NewEntries(List.of(new NewEntry("b", IntNode.valueOf(2), null, null),
							new NewEntry("a", IntNode.valueOf(1), null, null)))))
			.block();

		var page = (EntryPage) this.functions.listKeys(this.entries, CURSORS)
			.apply(as(this.tenant, new PageQuery(null, null, null)))
			.block();

		assertThat(page.items()).extracting("key").containsExactly("a", "b");
		assertThat(this.functions.countKeys(this.entries).apply(as(this.tenant, new CountQuery(null))).block().count())
			.isEqualTo(2);
		assertThat(this.functions.countKeys(this.entries).apply(as(other, new CountQuery(null))).block().count())
			.isZero();
		assertThatExceptionOfType(ApiException.NotFound.class)
			.isThrownBy(() -> this.functions.getKey(this.entries).apply(as(other, new EntryKey("a"))).block());
	}

	@Test
	void reportsTimeToLive() {
		this.functions.createKey(this.entries)
			.apply(as(this.tenant, new NewEntry("k", IntNode.valueOf(1), 90L, null)))
			.block();

		assertThat(this.functions.keyTtl(this.entries).apply(as(this.tenant, new EntryKey("k"))).block().ttl())
			.isBetween(89L, 90L);
	}

	@Test
	void refusesAMessageWithoutTenant() {
		Message<EntryKey> anonymous = MessageBuilder.withPayload(new EntryKey("k")).build();

		assertThatIllegalStateException().isThrownBy(() -> this.functions.getKey(this.entries).apply(anonymous));
	}

	private static <T> Message<T> as(TenantId tenant, T payload) {
		return MessageBuilder.withPayload(payload).setHeader(Caller.HEADER, Caller.system(tenant)).build();
	}

}
