package dev.kvstore.kv;

import java.time.Duration;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.ZSetOperations.TypedTuple;

import dev.kvstore.redis.RedisKeys;
import dev.kvstore.tenant.TenantId;

/**
 * Removes what a deleted account leaves behind (its entries, their indexes, its sessions)
 * off the request that deleted it. The request queues the tenant, then deletes the
 * account in one step, which stops its tokens at once; each cleanup run then removes a
 * bounded number of entries and the next run goes on where it stopped, so an account of
 * any size goes without a request or a Lambda invocation running long, and a failure
 * half-way leaves the rest queued. The audit log stays until its retention ends; the
 * outbox goes once relayed.
 */
public class TenantPurge {

	private static final Log logger = LogFactory.getLog(TenantPurge.class);

	/** Entries removed per run, over all queued tenants. */
	static final int ENTRIES_PER_RUN = 20_000;

	/**
	 * Tenants read from the queue per run: enough that tenants skipped (their account
	 * still exists, for at most {@link #ABANDONED}) do not hold back those behind them.
	 */
	private static final int TENANTS_PER_RUN = 1000;

	/**
	 * A queued tenant whose account still exists this long after was not deleted after
	 * all (the request failed between queueing and deleting): it leaves the queue.
	 */
	static final Duration ABANDONED = Duration.ofHours(1);

	private final StringRedisTemplate redis;

	private final TenantSweeps sweeps;

	public TenantPurge(StringRedisTemplate redis, TenantSweeps sweeps) {
		this.redis = redis;
		this.sweeps = sweeps;
	}

	/** What a run did: the tenants it finished and the entries it removed. */
	public record Report(int tenants, int removed) {
	}

	/** Queues a tenant whose account is about to be deleted. */
	public void schedule(TenantId tenant) {
		this.redis.opsForZSet().add(RedisKeys.purgeQueue(), tenant.toString(), System.currentTimeMillis());
	}

	public Report run() {
		int budget = ENTRIES_PER_RUN;
		int finished = 0;
		Set<TypedTuple<String>> queued = this.redis.opsForZSet()
			.rangeWithScores(RedisKeys.purgeQueue(), 0, TENANTS_PER_RUN - 1);
		for (TypedTuple<String> queuedTenant : queued) {
			if (budget <= 0) {
				break;
			}
			TenantId tenant = TenantId.parse(queuedTenant.getValue());
			if (Boolean.TRUE.equals(this.redis.hasKey(RedisKeys.account(tenant)))) {
				if (System.currentTimeMillis() - queuedTenant.getScore() > ABANDONED.toMillis()) {
					this.redis.opsForZSet().remove(RedisKeys.purgeQueue(), queuedTenant.getValue());
				}
				continue;
			}
			int removed;
			do {
				removed = this.sweeps.dropSome(tenant, budget).block();
				budget -= removed;
			}
			while (removed > 0 && budget > 0);
			if (removed == 0) {
				this.redis.opsForZSet().remove(RedisKeys.purgeQueue(), queuedTenant.getValue());
				finished++;
			}
		}
		Report report = new Report(finished, ENTRIES_PER_RUN - budget);
		if (report.removed() > 0 || report.tenants() > 0) {
			logger.info("purged " + report.removed() + " entries of deleted accounts; " + report.tenants()
					+ " deleted accounts are gone for good");
		}
		return report;
	}

}
