package dev.kvstore.kv;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import org.springframework.data.redis.connection.RedisZSetCommands.ZAddArgs;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.ZSetOperations.TypedTuple;
import org.springframework.data.redis.core.script.RedisScript;

import dev.kvstore.redis.LuaScripts;
import dev.kvstore.redis.RedisKeys;
import dev.kvstore.tenant.TenantId;

/**
 * Removes what expired entries leave behind (their hash, index and tag memberships), with
 * an {@code expire} audit event each; then, a bounded part at a time, what deleted
 * accounts left ({@link TenantPurge}). It visits only tenants whose earliest expiry has
 * passed (the schedule the audit relay keeps) and in them only the expired entries, so
 * its cost follows the number of expired entries, not the number of keys. Every step is
 * atomic and idempotent: two cleanups running at once neither fail nor count an entry
 * twice.
 */
public class ExpiredEntryCleanup {

	private static final RedisScript<List<String>> RESCHEDULE = LuaScripts.load(ExpiredEntryCleanup.class,
			"reschedule.lua");

	/** Entries removed per script call: bounds how long one call holds Redis. */
	private static final int PER_CALL = 500;

	/** Tenants taken from the schedule per round trip. */
	private static final int TENANTS_PER_ROUND = 200;

	private final StringRedisTemplate redis;

	private final TenantSweeps sweeps;

	private final TenantPurge purge;

	public ExpiredEntryCleanup(StringRedisTemplate redis, TenantSweeps sweeps, TenantPurge purge) {
		this.redis = redis;
		this.sweeps = sweeps;
		this.purge = purge;
	}

	public ExpiredEntryCleanup(StringRedisTemplate redis, TenantSweeps sweeps) {
		this(redis, sweeps, new TenantPurge(redis, sweeps));
	}

	/**
	 * What a run did: the tenants it visited and the expired entries it removed; then the
	 * entries of deleted accounts it removed and the deleted accounts it finished.
	 */
	public record Report(int tenants, int removed, int deletedEntries, int deletedAccounts) {
	}

	/** Expired entries, then what deleted accounts left. */
	public Report run() {
		Report expired = cleanExpired();
		TenantPurge.Report purged = this.purge.run();
		return new Report(expired.tenants(), expired.removed(), purged.removed(), purged.tenants());
	}

	/** Expired entries only. */
	public Report cleanExpired() {
		int tenants = 0;
		int removed = 0;
		Set<TypedTuple<String>> due;
		do {
			due = this.redis.opsForZSet()
				.rangeByScoreWithScores(RedisKeys.expirySchedule(), Double.NEGATIVE_INFINITY,
						System.currentTimeMillis(), 0, TENANTS_PER_ROUND);
			for (TypedTuple<String> tenant : due) {
				removed += clean(TenantId.parse(tenant.getValue()), tenant.getScore());
				tenants++;
			}
		}
		while (due.size() == TENANTS_PER_ROUND);
		return new Report(tenants, removed, 0, 0);
	}

	private int clean(TenantId tenant, double scheduledAt) {
		int removed = 0;
		TenantSweeps.Cleanup pass;
		do {
			pass = this.sweeps.removeExpired(tenant, PER_CALL).block();
			removed += pass.removed();
		}
		while (pass.removed() == PER_CALL);
		String next = (pass.nextExpiry() != null) ? Long.toString(pass.nextExpiry().toEpochMilli()) : "";
		this.redis.execute(RESCHEDULE, List.of(RedisKeys.expirySchedule()), tenant.toString(),
				Double.toString(scheduledAt), next);
		// A TTL entry written after the pass read the next expiry asked for its tenant
		// to be visited no later than its expiry while the tenant still stood at the
		// earlier score read above, so that changed nothing, and the line above may have
		// just removed the tenant. The entry was indexed first, so a read now sees it.
		Set<TypedTuple<String>> earliest = this.redis.opsForZSet()
			.rangeWithScores(RedisKeys.expiringKeys(tenant), 0, 0);
		if (earliest != null && !earliest.isEmpty()) {
			scheduleNoLaterThan(this.redis, tenant, earliest.iterator().next().getScore());
		}
		return removed;
	}

	/**
	 * Makes sure the cleanup visits {@code tenant} at {@code expiry} or earlier: adds it
	 * to the schedule or moves it earlier, never later.
	 */
	public static void scheduleNoLaterThan(StringRedisTemplate redis, TenantId tenant, double expiry) {
		byte[] key = RedisKeys.expirySchedule().getBytes(StandardCharsets.UTF_8);
		byte[] member = tenant.toString().getBytes(StandardCharsets.UTF_8);
		redis.execute((RedisCallback<Boolean>) (connection) -> connection.zSetCommands()
			.zAdd(key, expiry, member, ZAddArgs.empty().lt()));
	}

}
