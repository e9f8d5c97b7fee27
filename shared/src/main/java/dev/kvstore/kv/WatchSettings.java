package dev.kvstore.kv;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Live watches (WATCH_*).
 *
 * @param maxPerTenant the most watches a tenant may hold open at once, over all app
 * instances (WATCH_MAX_PER_TENANT)
 * @param retention how long a tenant's changes stay resumable after its last watch closed
 * (WATCH_RETENTION)
 * @param keptChanges about how many of a tenant's latest changes stay resumable
 * (WATCH_KEPT_CHANGES): a watch that falls further behind starts over
 * @param pollInterval how often an open watch looks for changes (WATCH_POLL_INTERVAL)
 * @param heartbeat the longest a watch stays silent: a comment line then
 * (WATCH_HEARTBEAT)
 */
@ConfigurationProperties("kvstore.watch")
public record WatchSettings(@DefaultValue("10") int maxPerTenant, @DefaultValue("10m") Duration retention,
		@DefaultValue("10000") int keptChanges, @DefaultValue("250ms") Duration pollInterval,
		@DefaultValue("15s") Duration heartbeat) {

	public WatchSettings {
		if (maxPerTenant < 1 || keptChanges < 1) {
			throw new IllegalArgumentException("WATCH_MAX_PER_TENANT and WATCH_KEPT_CHANGES must be 1 or more");
		}
		if (retention.toMillis() < 1000 || pollInterval.toMillis() < 10 || heartbeat.toMillis() < 100) {
			throw new IllegalArgumentException(
					"WATCH_RETENTION must be 1 s or more, WATCH_POLL_INTERVAL 10 ms, WATCH_HEARTBEAT 100 ms");
		}
	}

}
