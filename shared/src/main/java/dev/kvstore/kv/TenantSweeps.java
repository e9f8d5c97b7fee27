package dev.kvstore.kv;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

import reactor.core.publisher.Mono;

import dev.kvstore.redis.AsyncScripts;
import dev.kvstore.redis.RedisKeys;
import dev.kvstore.tenant.TenantId;

/**
 * The app's own work on a tenant's entries, outside any request: removing what expired
 * entries left behind ({@link ExpiredEntryCleanup}), and the entries of a deleted account
 * ({@link TenantPurge}). Each is one script over a bounded batch, run whether or not the
 * account is active.
 */
public class TenantSweeps {

	private static final EntryScripts.Script DROP = EntryScripts.load("drop.lua");

	private static final EntryScripts.Script CLEANUP = EntryScripts.load("cleanup.lua");

	private static final int DROP_BATCH = 500;

	private final EntryScripts scripts;

	private final Consumer<TenantId> afterAudit;

	public TenantSweeps(AsyncScripts scripts, KvSettings settings) {
		this(scripts, settings, (tenant) -> {
		});
	}

	/**
	 * @param afterAudit told of every tenant whose outbox a sweep just appended audit
	 * events to (the audit relay)
	 */
	public TenantSweeps(AsyncScripts scripts, KvSettings settings, Consumer<TenantId> afterAudit) {
		this.scripts = new EntryScripts(scripts, settings);
		this.afterAudit = afterAudit;
	}

	/**
	 * Deletes every entry of a tenant whose account is already gone, a bounded batch per
	 * round trip.
	 */
	public Mono<Void> deleteAll(TenantId tenant) {
		return dropSome(tenant, DROP_BATCH).repeat().takeUntil((removed) -> removed == 0).then();
	}

	/**
	 * Deletes up to {@code limit} entries (at most a batch) of a tenant whose account is
	 * already gone; how many. At 0 the tenant's indexes and sessions are gone too.
	 */
	public Mono<Integer> dropSome(TenantId tenant, int limit) {
		int batch = Math.min(limit, DROP_BATCH);
		return this.scripts
			.executeAsSystem(DROP, tenant,
					List.of(RedisKeys.sessionFamilies(tenant), RedisKeys.currentRefreshTokens(tenant),
							RedisKeys.apiKeys(tenant)),
					Integer.toString(batch))
			.map((reply) -> Integer.valueOf(reply.getFirst()));
	}

	/**
	 * What one cleanup pass over a tenant did; {@code nextExpiry} is null when nothing
	 * else expires.
	 */
	public record Cleanup(int removed, Instant nextExpiry) {
	}

	/**
	 * Removes up to {@code limit} expired entries of a tenant with their index
	 * memberships, each with an {@code expire} audit event, touching nothing else.
	 */
	public Mono<Cleanup> removeExpired(TenantId tenant, int limit) {
		return this.scripts.executeAsSystem(CLEANUP, tenant, List.of(), Integer.toString(limit)).map((reply) -> {
			int removed = Integer.parseInt(reply.get(0));
			if (removed > 0) {
				this.afterAudit.accept(tenant);
			}
			String next = reply.get(1);
			return new Cleanup(removed, next.isEmpty() ? null : Instant.ofEpochMilli(new BigDecimal(next).longValue()));
		});
	}

}
