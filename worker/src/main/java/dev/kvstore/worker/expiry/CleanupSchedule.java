package dev.kvstore.worker.expiry;

import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import dev.kvstore.kv.ExpiredEntryCleanup;

/**
 * Triggers {@code ttlCleanup} on CLEANUP_CRON when the worker runs plainly (on Knative a
 * PingSource and on Lambda an EventBridge schedule trigger it instead, with
 * kvstore.cleanup.schedule=false).
 */
@Component
@EnableScheduling
@ConditionalOnProperty(name = "kvstore.cleanup.schedule", havingValue = "true", matchIfMissing = true)
class CleanupSchedule {

	private static final Log logger = LogFactory.getLog(CleanupSchedule.class);

	private final Supplier<ExpiredEntryCleanup.Report> ttlCleanup;

	CleanupSchedule(@Qualifier("ttlCleanup") Supplier<ExpiredEntryCleanup.Report> ttlCleanup) {
		this.ttlCleanup = ttlCleanup;
	}

	@Scheduled(cron = "${kvstore.cleanup.cron}")
	void run() {
		try {
			ExpiredEntryCleanup.Report report = this.ttlCleanup.get();
			if (report.removed() > 0) {
				logger.info("ttlCleanup removed " + report.removed() + " expired entries of " + report.tenants()
						+ " tenants");
			}
		}
		catch (RuntimeException ex) {
			logger.warn("ttlCleanup failed; it runs again on schedule: " + ex.getMessage());
		}
	}

}
