package dev.kvstore.functions.audit;

import org.springframework.scheduling.annotation.Scheduled;

import dev.kvstore.kv.ExpiredEntryCleanup;

/**
 * The expired-key cleanup on the worker's schedule (CLEANUP_CRON), when no worker runs.
 */
class ScheduledCleanup {

	private final ExpiredEntryCleanup cleanup;

	ScheduledCleanup(ExpiredEntryCleanup cleanup) {
		this.cleanup = cleanup;
	}

	@Scheduled(cron = "${kvstore.cleanup.cron}")
	void run() {
		this.cleanup.run();
	}

}
