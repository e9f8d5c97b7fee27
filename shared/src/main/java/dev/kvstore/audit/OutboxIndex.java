package dev.kvstore.audit;

import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.lettuce.core.cluster.SlotHash;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.kvstore.redis.KeyScan;
import dev.kvstore.redis.RedisKeys;
import dev.kvstore.tenant.TenantId;

/**
 * The outboxes that hold audit events, as the relay's start-up sweep finds them: in the
 * 16384 per-slot indexes ({@link RedisKeys#outboxIndexOfSlot}) that the scripts writing
 * and emptying outboxes keep in the same step, never by scanning the keyspace; except
 * once, on a store written before the index, which is then indexed.
 */
final class OutboxIndex {

	private static final Log logger = LogFactory.getLog(OutboxIndex.class);

	private final StringRedisTemplate redis;

	OutboxIndex(StringRedisTemplate redis) {
		this.redis = redis;
	}

	/** Hands every tenant whose outbox may hold events to {@code wake}. */
	void forEachWaiting(Consumer<TenantId> wake) {
		if (!Boolean.TRUE.equals(this.redis.hasKey(RedisKeys.outboxesIndexed()))) {
			indexOutboxesWrittenBeforeTheIndex();
		}
		long start = System.nanoTime();
		int found = 0;
		for (int slot = 0; slot < SlotHash.SLOT_COUNT; slot++) {
			Set<String> tenants = this.redis.opsForSet().members(RedisKeys.outboxIndexOfSlot(slot));
			if (tenants != null) {
				tenants.forEach((tenant) -> wake.accept(TenantId.parse(tenant)));
				found += tenants.size();
			}
		}
		logger.info("start-up sweep: " + found + " outboxes hold audit events left behind (the indexes read in "
				+ TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms)");
	}

	/**
	 * Once, on a store written before outboxes were indexed: puts every outbox that holds
	 * events in its index (the one scan of the keyspace), then says so.
	 */
	private void indexOutboxesWrittenBeforeTheIndex() {
		KeyScan.forEach(this.redis,
				ScanOptions.scanOptions().match(RedisKeys.anyOutbox()).type("stream").count(1000).build(), (key) -> {
					if (this.redis.opsForStream().size(key) > 0) {
						TenantId tenant = TenantId.parse(key.substring(key.indexOf('{') + 1, key.indexOf('}')));
						this.redis.opsForSet().add(RedisKeys.outboxIndex(tenant), tenant.toString());
					}
				});
		this.redis.opsForValue().set(RedisKeys.outboxesIndexed(), "1");
		logger.info("indexed the outboxes that hold audit events: start-up sweeps read the index from now on");
	}

}
