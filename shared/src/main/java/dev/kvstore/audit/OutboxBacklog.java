package dev.kvstore.audit;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.kvstore.redis.RedisKeys;
import dev.kvstore.tenant.TenantId;

/**
 * The audit events still waiting in the outboxes, on {@code /metrics}:
 * {@code audit_outbox_backlog_events} and {@code audit_outbox_oldest_age_seconds}, the
 * age of the oldest of them (0 when there is none). Measured when scraped, at most once a
 * second and by one scrape at a time, over the outboxes this instance's relay has yet to
 * empty (at most {@value #MAX_TENANTS} of them). Several instances each report what their
 * own relay waits for; outboxes parked while the broker was away are shared, so take the
 * maximum over instances, not the sum.
 */
public final class OutboxBacklog implements MeterBinder {

	private static final int MAX_TENANTS = 256;

	private static final Duration FRESH = Duration.ofSeconds(1);

	private static final Measurement UNKNOWN = new Measurement(Double.NaN, Double.NaN, Long.MIN_VALUE);

	private final StringRedisTemplate redis;

	/** The tenants whose outboxes may hold events. */
	private final Supplier<Collection<TenantId>> waiting;

	private final Clock clock;

	private volatile @Nullable Measurement last;

	private final ReentrantLock measuring = new ReentrantLock();

	public OutboxBacklog(StringRedisTemplate redis, AuditRelay relay) {
		this(redis, () -> relay.waitingTenants(MAX_TENANTS), Clock.systemUTC());
	}

	OutboxBacklog(StringRedisTemplate redis, Supplier<Collection<TenantId>> waiting, Clock clock) {
		this.redis = redis;
		this.waiting = waiting;
		this.clock = clock;
	}

	/** What waits, in events, and for how long the oldest has waited; NaN: not known. */
	record Measurement(double events, double oldestAgeSeconds, long measuredAtMillis) {
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("audit.outbox.backlog", this, (backlog) -> backlog.measure().events())
			.baseUnit("events")
			.description("Audit events written but not yet handed to the audit sink")
			.register(registry);
		Gauge.builder("audit.outbox.oldest.age", this, (backlog) -> backlog.measure().oldestAgeSeconds())
			.baseUnit("seconds")
			.description("How long the oldest audit event still in an outbox has waited")
			.register(registry);
	}

	Measurement measure() {
		Measurement last = this.last;
		if (last != null && this.clock.millis() - last.measuredAtMillis() < FRESH.toMillis()) {
			return last;
		}
		if (!this.measuring.tryLock()) {
			// Another scrape is measuring now: its figure, or none yet.
			return (last != null) ? last : UNKNOWN;
		}
		try {
			Measurement measurement = measure(this.waiting.get());
			this.last = measurement;
			return measurement;
		}
		finally {
			this.measuring.unlock();
		}
	}

	/**
	 * One {@code XLEN} per outbox, and for those that hold events the first one's id.
	 * When Redis does not answer, the gauges say so (NaN) instead of showing an empty
	 * backlog, and the scrape does not wait out a timeout per outbox.
	 */
	private Measurement measure(Collection<TenantId> tenants) {
		long events = 0;
		long oldest = Long.MAX_VALUE;
		try {
			for (TenantId tenant : tenants) {
				String outbox = RedisKeys.outbox(tenant);
				Long length = this.redis.opsForStream().size(outbox);
				if (length == null || length == 0) {
					continue;
				}
				List<MapRecord<String, Object, Object>> first = this.redis.opsForStream()
					.range(outbox, Range.unbounded(), Limit.limit().count(1));
				if (first != null && !first.isEmpty()) {
					events += length;
					oldest = Math.min(oldest, first.getFirst().getId().getTimestamp());
				}
			}
		}
		catch (RuntimeException ex) {
			return new Measurement(Double.NaN, Double.NaN, this.clock.millis());
		}
		long now = this.clock.millis();
		return new Measurement(events, (events == 0) ? 0 : Math.max(0, now - oldest) / 1000.0, now);
	}

}
