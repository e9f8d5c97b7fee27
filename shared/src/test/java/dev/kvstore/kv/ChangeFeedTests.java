package dev.kvstore.kv;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import tools.jackson.databind.node.IntNode;

import org.springframework.data.redis.core.StringRedisTemplate;

import dev.kvstore.TestRedis;
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
 * Live watches over the change stream the entry scripts write: every change of the tenant
 * in order and nothing else, a resume after any kept position, 410 where changes may be
 * missing, and the limit on open watches.
 */
class ChangeFeedTests {

	private static final WatchSettings SETTINGS = new WatchSettings(2, Duration.ofMinutes(1), 10_000,
			Duration.ofMillis(20), Duration.ofSeconds(15));

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final StringRedisTemplate redis = TestRedis.template();

	private final EntryRepository entries = new EntryRepository(TestRedis.scripts(), KvSettings.DEFAULTS);

	private final TenantSweeps sweeps = new TenantSweeps(TestRedis.scripts(), KvSettings.DEFAULTS);

	private final ChangeFeed feed = new ChangeFeed(TestRedis.scripts(), KvSettings.DEFAULTS, SETTINGS);

	private final TenantId tenant = TestRedis.newTenant();

	private final Caller caller = Caller.system(this.tenant);

	private final List<Disposable> watches = new ArrayList<>();

	@AfterEach
	void dropTenant() {
		this.watches.forEach(Disposable::dispose);
		TestRedis.dropTenant(this.tenant, this.sweeps::deleteAll);
	}

	@Test
	void sendsEveryChangeOfTheTenantInOrderWithItsEntityTag() {
		TenantId other = TestRedis.newTenant();
		BlockingQueue<Change> seen = watch(this.caller, new WatchQuery(null, false, null));

		String created = this.entries.create(this.caller, entry("a", null)).block().etag();
		this.entries.create(Caller.system(other), entry("a", null)).block();
		this.entries.createAll(this.caller, List.of(entry("b", null), entry("c", 1L))).block();
		String updated = this.entries.update(this.caller, new EntryUpdate("a", IntNode.valueOf(2), null, null))
			.block()
			.etag();
		this.entries.delete(this.caller, "b").block();
		await().atMost(WAIT).until(() -> this.entries.count(this.caller).block() == 1);
		this.sweeps.removeExpired(this.tenant, 100).block();

		List<Change> changes = take(seen, 5);
		assertThat(changes).extracting(Change::operation, Change::key, Change::version)
			.containsExactly(tuple("create", "a", 1L), tuple("create", "b", 1L), tuple("create", "c", 1L),
					tuple("update", "a", 2L), tuple("delete", "b", 1L));
		assertThat(changes.get(0).id()).isEqualTo(created);
		assertThat(changes.get(3).id()).isEqualTo(updated);
		assertThat(take(seen, 1).getFirst()).extracting(Change::operation, Change::key).containsExactly("expire", "c");
		assertThat(seen.isEmpty()).as("nothing of the other tenant").isTrue();
	}

	@Test
	void sendsOnlyTheKeysUnderItsPrefixAndTheValuesStillCurrent() {
		BlockingQueue<Change> seen = watch(this.caller, new WatchQuery("p/", true, null));
		this.entries.create(this.caller, entry("q/1", null)).block();
		this.entries.create(this.caller, entry("p/1", null)).block();
		take(seen, 1);
		// Two writes between reads: the first one's value is no longer there to send.
		this.entries.createAll(this.caller, List.of(entry("p/2", null), entry("p/3", null))).block();
		this.entries.update(this.caller, new EntryUpdate("p/2", IntNode.valueOf(7), null, null)).block();
		this.entries.delete(this.caller, "p/3").block();

		List<Change> changes = take(seen, 4);
		assertThat(changes).extracting(Change::key).containsExactly("p/2", "p/3", "p/2", "p/3");
		assertThat(changes.get(0).value()).isNull();
		assertThat(changes.get(1).value()).isNull();
		assertThat(changes.get(2).value()).isEqualTo("7");
		assertThat(changes.get(3).value()).isNull();
	}

	@Test
	void anApiKeyWatchesOnlyUnderItsPrefix() {
		Caller scoped = new Caller(null, "r", "a").as(this.tenant, new Grant("k1", false, "team/"));
		assertThatExceptionOfType(ApiException.Forbidden.class)
			.isThrownBy(() -> this.feed.watch(scoped, new WatchQuery("other/", false, null)));

		BlockingQueue<Change> seen = watch(scoped, new WatchQuery(null, false, null));
		this.entries.create(this.caller, entry("other/1", null)).block();
		this.entries.create(this.caller, entry("team/1", null)).block();
		assertThat(take(seen, 1).getFirst().key()).isEqualTo("team/1");
	}

	@Test
	void resumesAfterAnyKeptPosition() {
		BlockingQueue<Change> first = watch(this.caller, new WatchQuery(null, false, null));
		List<String> ids = IntStream.range(0, 5)
			.mapToObj((i) -> this.entries.create(this.caller, entry("k" + i, null)).block().etag())
			.toList();
		take(first, 5);

		BlockingQueue<Change> resumed = watch(this.caller, new WatchQuery(null, false, ids.get(1)));
		assertThat(take(resumed, 3)).extracting(Change::id).containsExactlyElementsOf(ids.subList(2, 5));
	}

	@Test
	void refusesToResumeWhereChangesMayBeMissing() {
		// Written before anyone watched: the change after it is not kept.
		String beforeAnyWatch = this.entries.create(this.caller, entry("early", null)).block().etag();
		this.entries.create(this.caller, entry("unkept", null)).block();
		assertGone(beforeAnyWatch);
		assertGone("99999999999999-0");

		// Past what the stream keeps: it trims whole nodes of 100 changes.
		ChangeFeed keepingOne = new ChangeFeed(TestRedis.scripts(), KvSettings.DEFAULTS,
				new WatchSettings(2, Duration.ofMinutes(1), 1, Duration.ofMillis(20), Duration.ofSeconds(15)));
		keepingOne.watch(this.caller, new WatchQuery(null, false, null)).block();
		String first = this.entries.create(this.caller, entry("first", null)).block().etag();
		this.entries.createAll(this.caller, IntStream.range(0, 300).mapToObj((i) -> entry("n" + i, null)).toList())
			.block();
		assertThatExceptionOfType(ApiException.Gone.class)
			.isThrownBy(() -> keepingOne.watch(this.caller, new WatchQuery(null, false, first)).block());
	}

	@Test
	void aTenantHoldsAtMostItsLimitOfOpenWatches() {
		Disposable one = this.feed.watch(this.caller, new WatchQuery(null, false, null)).block().subscribe();
		watch(this.caller, new WatchQuery(null, false, null));
		assertThatExceptionOfType(ApiException.RateLimited.class)
			.isThrownBy(() -> this.feed.watch(this.caller, new WatchQuery(null, false, null)).block());

		one.dispose();
		await().atMost(WAIT).until(() -> this.redis.opsForZSet().size(RedisKeys.tenant(this.tenant) + "watches") == 1);
		watch(this.caller, new WatchQuery(null, false, null));
	}

	@Test
	void endsWhenTheAccountGoesOrTheAppStops() {
		Flux<Change> untilGone = this.feed.watch(this.caller, new WatchQuery(null, false, null)).block();
		TenantId other = TestRedis.newTenant();
		Flux<Change> untilStop = this.feed.watch(Caller.system(other), new WatchQuery(null, false, null)).block();

		new AccountRepository(this.redis).find(this.tenant).ifPresent(new AccountRepository(this.redis)::delete);
		assertThat(untilGone.collectList().block(WAIT)).isEmpty();

		this.feed.stop();
		assertThat(untilStop.collectList().block(WAIT)).isEmpty();
	}

	@Test
	void anUnwatchedTenantKeepsNoChanges() {
		this.entries.create(this.caller, entry("k", null)).block();

		assertThat(this.redis.hasKey(RedisKeys.tenant(this.tenant) + "changes")).isFalse();
	}

	private void assertGone(String position) {
		assertThatExceptionOfType(ApiException.Gone.class)
			.isThrownBy(() -> this.feed.watch(this.caller, new WatchQuery(null, false, position)).block());
	}

	private BlockingQueue<Change> watch(Caller watcher, WatchQuery query) {
		BlockingQueue<Change> seen = new LinkedBlockingQueue<>();
		this.watches.add(this.feed.watch(watcher, query).block().subscribe(seen::add));
		return seen;
	}

	private static List<Change> take(BlockingQueue<Change> seen, int count) {
		List<Change> changes = new ArrayList<>();
		try {
			while (changes.size() < count) {
				Change change = seen.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
				assertThat(change).as("change %d of %d", changes.size() + 1, count).isNotNull();
				changes.add(change);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		return changes;
	}

	private static org.assertj.core.groups.Tuple tuple(Object... values) {
		return org.assertj.core.groups.Tuple.tuple(values);
	}

	private static NewEntry entry(String key, Long ttl) {
		return new NewEntry(key, IntNode.valueOf(1), ttl, Map.of());
	}

}
