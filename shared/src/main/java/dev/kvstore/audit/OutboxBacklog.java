package dev.kvstore.audit;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.stream.StreamInfo.XInfoStream;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.kvstore.redis.RedisKeys;
import dev.kvstore.tenant.TenantId;

/**
 * The audit events still waiting in the outboxes, on {@code /metrics}:
 * {@code audit_outbox_backlog_events} and {@code audit_outbox_oldest_age_seconds}, the
 * age of the oldest of them (0 when there is none). Measured when scraped, at most once a
 * second, over the outboxes this instance's relay has yet to empty (at most
 * {@value #MAX_TENANTS} of them): one {@code XINFO STREAM} each, nothing when there is no
 * backlog. Several instances each report what their own relay waits for.
 */
public final class OutboxBacklog implements MeterBinder {

	private static final int MAX_TENANTS = 256;

	private static final Duration FRESH = Duration.ofSeconds(1);

	private final StringRedisTemplate redis;

	/** The tenants whose outboxes may hold events. */
	private final Supplier<Collection<TenantId>> waiting;

	private final Clock clock;

	private volatile @Nullable Measurement last;

	public OutboxBacklog(StringRedisTemplate redis, AuditRelay relay) {
		this(redis, () -> relay.waitingTenants(MAX_TENANTS), Clock.systemUTC());
	}

	OutboxBacklog(StringRedisTemplate redis, Supplier<Collection<TenantId>> waiting, Clock clock) {
		this.redis = redis;
		this.waiting = waiting;
		this.clock = clock;
	}

	/** What waits, in events, and for how long the oldest has waited. */
	record Measurement(long events, double oldestAgeSeconds, long measuredAtMillis) {
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
		long now = this.clock.millis();
		Measurement measurement = this.last;
		if (measurement != null && now - measurement.measuredAtMillis() < FRESH.toMillis()) {
			return measurement;
		}
		measurement = measure(this.waiting.get(), now);
		this.last = measurement;
		return measurement;
	}

	private Measurement measure(Collection<TenantId> tenants, long now) {
		long events = 0;
		long oldest = now;
		for (TenantId tenant : tenants) {
			XInfoStream outbox;
			try {
				outbox = this.redis.opsForStream().info(RedisKeys.outbox(tenant));
			}
			catch (RuntimeException ex) {
				// Emptied and gone since the relay listed it, or Redis is away: nothing
				// to count here.
				continue;
			}
			if (outbox.streamLength() > 0) {
				events += outbox.streamLength();
				oldest = Math.min(oldest, millisOf(outbox.firstEntryId()));
			}
		}
		return new Measurement(events, Math.max(0, now - oldest) / 1000.0, now);
	}

	/** A stream id is the Redis server's clock in milliseconds, a dash and a sequence. */
	private static long millisOf(String streamId) {
		return Long.parseLong(streamId.substring(0, streamId.indexOf('-')));
	}

}
