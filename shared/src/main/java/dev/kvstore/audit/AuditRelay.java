package dev.kvstore.audit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import dev.kvstore.kv.ExpiredEntryCleanup;
import dev.kvstore.redis.LuaScripts;
import dev.kvstore.redis.RedisKeys;
import dev.kvstore.tenant.TenantId;

/**
 * Moves audit events from the tenants' outboxes to the {@link AuditSink}, off the request
 * path: a write only wakes the relay. An event leaves an outbox only once the sink has
 * taken it, so while the broker is down events wait in Redis (the tenant is parked in a
 * pending set) and are delivered when it is back, after a restart too. Relaying also
 * schedules the expired-key cleanup of entries written with a TTL. Delivery is at least
 * once; the audit log stores an event once.
 */
public class AuditRelay implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(AuditRelay.class);

	private static final RedisScript<List<String>> UNINDEX = LuaScripts.load(AuditRelay.class, "unindex.lua");

	private static final RedisScript<List<String>> DELIVERED = LuaScripts.load(AuditRelay.class, "delivered.lua");

	private static final int BATCH = 1000;

	private static final int PARKED_PER_ROUND = 64;

	private static final Duration MIN_BACKOFF = Duration.ofMillis(250);

	private static final Duration MAX_BACKOFF = Duration.ofSeconds(15);

	/**
	 * How long after start the relay looks for outboxes left behind: the sweep reads the
	 * 16384 slots' indexes of outboxes holding events (and, once ever, scans the keyspace
	 * to index the outboxes written before the index), work a cold start need not wait
	 * for.
	 */
	static final Duration SWEEP_DELAY = Duration.ofSeconds(10);

	private final StringRedisTemplate redis;

	private final OutboxIndex outboxes;

	private final AuditSink sink;

	private final Set<TenantId> woken = ConcurrentHashMap.newKeySet();

	private final BlockingQueue<TenantId> queue = new LinkedBlockingQueue<>();

	private final Duration sweepDelay;

	private volatile Thread worker;

	/** The tenant whose outbox is being relayed now. */
	private volatile @Nullable TenantId relaying;

	private Duration backoff = MIN_BACKOFF;

	private Instant pausedUntil = Instant.MIN;

	public AuditRelay(StringRedisTemplate redis, AuditSink sink) {
		this(redis, sink, SWEEP_DELAY);
	}

	AuditRelay(StringRedisTemplate redis, AuditSink sink, Duration sweepDelay) {
		this.redis = redis;
		this.outboxes = new OutboxIndex(redis);
		this.sink = sink;
		this.sweepDelay = sweepDelay;
	}

	/** Tells the relay that a tenant's outbox has new events. Cheap; never blocks. */
	public void wake(TenantId tenant) {
		if (this.woken.add(tenant)) {
			this.queue.offer(tenant);
		}
	}

	/**
	 * Relays one tenant's outbox now, on the caller's thread; returns how many events it
	 * delivered.
	 * @throws RuntimeException when the sink refuses them (they stay in the outbox)
	 */
	public int relay(TenantId tenant) {
		String outbox = RedisKeys.outbox(tenant);
		int delivered = 0;
		while (true) {
			List<MapRecord<String, Object, Object>> records = this.redis.opsForStream()
				.range(outbox, Range.unbounded(), Limit.limit().count(BATCH));
			if (records == null || records.isEmpty()) {
				if (delivered == 0) {
					// Woken for nothing (an index entry a crash left): out of the index.
					this.redis.execute(UNINDEX, List.of(outbox, RedisKeys.outboxIndex(tenant)), tenant.toString());
				}
				return delivered;
			}
			List<AuditEvent> events = new ArrayList<>(records.size());
			records
				.forEach((record) -> events.add(AuditTrail.read(tenant, record.getId().getValue(), record.getValue())));
			schedule(tenant, records);
			this.sink.deliver(events);
			this.redis.execute(DELIVERED, List.of(outbox, RedisKeys.account(tenant), RedisKeys.outboxIndex(tenant)),
					records.getLast().getId().getValue(), TenantId.NONE.equals(tenant) ? "0" : "1", tenant.toString());
			delivered += records.size();
		}
	}

	@Override
	public void start() {
		Thread thread = new Thread(this::run, "audit-relay");
		thread.setDaemon(true);
		this.worker = thread;
		thread.start();
	}

	@Override
	public void stop() {
		Thread thread = this.worker;
		this.worker = null;
		if (thread != null) {
			thread.interrupt();
			try {
				thread.join(Duration.ofSeconds(5));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.worker != null;
	}

	private void run() {
		RedisKeys.prepareSlotTags();
		Instant sweepAt = Instant.now().plus(this.sweepDelay);
		try {
			while (this.worker != null) {
				if (sweepAt != null && !Instant.now().isBefore(sweepAt)) {
					sweepAt = wakeLeftovers() ? null : Instant.now().plus(MAX_BACKOFF);
				}
				TenantId tenant = this.queue.poll(1, TimeUnit.SECONDS);
				if (tenant != null) {
					this.woken.remove(tenant);
					relayOrPark(tenant);
				}
				retryParked();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void relayOrPark(TenantId tenant) {
		if (Instant.now().isBefore(this.pausedUntil)) {
			park(tenant);
			return;
		}
		this.relaying = tenant;
		try {
			relay(tenant);
			this.backoff = MIN_BACKOFF;
		}
		catch (RuntimeException ex) {
			if (this.backoff.equals(MIN_BACKOFF) && isRunning()) {
				logger.warn("audit events wait in Redis until they can be delivered: " + ex.getMessage());
			}
			park(tenant);
			this.pausedUntil = Instant.now().plus(this.backoff);
			this.backoff = this.backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF
					: this.backoff.multipliedBy(2);
		}
		finally {
			this.relaying = null;
		}
	}

	/**
	 * The tenants whose outboxes this relay has yet to empty, at most {@code max}: the
	 * one it relays now, those woken since, and those parked while the sink was away.
	 */
	Set<TenantId> waitingTenants(int max) {
		Set<TenantId> tenants = new LinkedHashSet<>();
		TenantId now = this.relaying;
		if (now != null) {
			tenants.add(now);
		}
		for (TenantId woken : this.woken) {
			if (tenants.size() >= max) {
				return tenants;
			}
			tenants.add(woken);
		}
		if (tenants.size() == max) {
			return tenants;
		}
		try {
			Set<String> parked = this.redis.opsForSet()
				.distinctRandomMembers(RedisKeys.pendingOutboxes(), max - tenants.size());
			if (parked != null) {
				parked.forEach((tenant) -> tenants.add(TenantId.parse(tenant)));
			}
		}
		catch (RuntimeException ex) {
			// Redis is away: the parked tenants are not known now
		}
		return tenants;
	}

	private void park(TenantId tenant) {
		try {
			this.redis.opsForSet().add(RedisKeys.pendingOutboxes(), tenant.toString());
		}
		catch (RuntimeException ex) {
			// Redis is down too: the outbox itself is safe, the sweep after a restart
			// finds it
		}
	}

	private void retryParked() {
		if (Instant.now().isBefore(this.pausedUntil)) {
			return;
		}
		try {
			// A bounded number per round, so that parked tenants never starve newly woken
			// ones.
			for (int i = 0; i < PARKED_PER_ROUND && Instant.now().isAfter(this.pausedUntil); i++) {
				String tenant = this.redis.opsForSet().pop(RedisKeys.pendingOutboxes());
				if (tenant == null) {
					return;
				}
				relayOrPark(TenantId.parse(tenant));
			}
		}
		catch (RuntimeException ex) {
			this.pausedUntil = Instant.now().plus(MAX_BACKOFF);
		}
	}

	/**
	 * After a restart: outboxes that a crash or an outage left behind, looked for
	 * {@link #SWEEP_DELAY} after the start, and again later until one sweep succeeds.
	 * @return whether the sweep went through
	 */
	boolean wakeLeftovers() {
		try {
			this.outboxes.forEachWaiting(this::wake);
			return true;
		}
		catch (RuntimeException ex) {
			if (isRunning()) {
				logger.warn("could not look for audit events left in outboxes (will try again): " + ex.getMessage());
			}
			return false;
		}
	}

	/** Entries written with a TTL tell the cleanup when to look at their tenant. */
	private void schedule(TenantId tenant, List<MapRecord<String, Object, Object>> records) {
		double earliest = records.stream()
			.map((record) -> (String) record.getValue().get("expires"))
			.filter((expires) -> expires != null && !expires.isEmpty())
			.mapToDouble(Double::parseDouble)
			.min()
			.orElse(Double.NaN);
		if (!Double.isNaN(earliest)) {
			ExpiredEntryCleanup.scheduleNoLaterThan(this.redis, tenant, earliest);
		}
	}

}
