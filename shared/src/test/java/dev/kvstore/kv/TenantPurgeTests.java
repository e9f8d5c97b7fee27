package dev.kvstore.kv;

import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.IntNode;

import org.springframework.data.redis.core.StringRedisTemplate;

import dev.kvstore.TestRedis;
import dev.kvstore.auth.AccountRepository;
import dev.kvstore.redis.RedisKeys;
import dev.kvstore.tenant.Caller;
import dev.kvstore.tenant.TenantId;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A deleted account's entries go after the request, a bounded part per cleanup run, and a
 * run that stops half-way is taken up by the next.
 */
class TenantPurgeTests {

	private final StringRedisTemplate redis = TestRedis.template();

	private final EntryRepository entries = new EntryRepository(TestRedis.scripts(), KvSettings.DEFAULTS);

	private final TenantPurge purge = new TenantPurge(this.redis,
			new TenantSweeps(TestRedis.scripts(), KvSettings.DEFAULTS));

	private final AccountRepository accounts = new AccountRepository(this.redis);

	private final TenantId tenant = TestRedis.newTenant();

	@Test
	void removesADeletedAccountsEntriesABoundedPartPerRun() {
		int size = TenantPurge.ENTRIES_PER_RUN + 5_000;
		for (int first = 0; first < size; first += 1000) {
			this.entries
				.createAll(Caller.system(this.tenant),
						IntStream.range(first, first + 1000)
							.mapToObj((i) -> new NewEntry("k" + i, IntNode.valueOf(i), (i % 2 == 0) ? 3600L : null,
									Map.of("n", Integer.toString(i % 3))))
							.toList())
				.block();
		}
		this.purge.schedule(this.tenant);
		this.accounts.delete(this.accounts.find(this.tenant).orElseThrow());

		TenantPurge.Report first = this.purge.run();

		assertThat(first.removed()).isLessThanOrEqualTo(TenantPurge.ENTRIES_PER_RUN);
		assertThat(this.redis.opsForZSet().size(prefix() + "keys")).isGreaterThanOrEqualTo(5_000L);
		assertThat(queued()).isTrue();
		// Other deleted tenants may be queued ahead of this one on a Redis that other
		// runs
		// used (a bench's leave hundreds of thousands of entries): runs go on until this
		// one is done, each bounded.
		for (int run = 0; run < 1000 && queued(); run++) {
			this.purge.run();
		}
		assertThat(queued()).isFalse();
		assertThat(this.redis.keys(prefix() + "*")).allSatisfy((key) -> assertThat(key)
			.isIn(RedisKeys.outbox(this.tenant), RedisKeys.auditLog(this.tenant), RedisKeys.auditEvents(this.tenant)));
	}

	@Test
	void leavesATenantWhoseAccountWasNotDeletedAfterAll() {
		this.entries.create(Caller.system(this.tenant), new NewEntry("kept", IntNode.valueOf(1), null, Map.of()))
			.block();
		this.purge.schedule(this.tenant);

		this.purge.run();

		assertThat(queued()).isTrue();
		this.redis.opsForZSet()
			.add(RedisKeys.purgeQueue(), this.tenant.toString(),
					System.currentTimeMillis() - TenantPurge.ABANDONED.toMillis() - 1000);
		this.purge.run();
		assertThat(queued()).isFalse();
		assertThat(this.entries.exists(Caller.system(this.tenant), "kept").block()).isTrue();
	}

	private boolean queued() {
		return this.redis.opsForZSet().score(RedisKeys.purgeQueue(), this.tenant.toString()) != null;
	}

	private String prefix() {
		return RedisKeys.tenant(this.tenant);
	}

}
