package dev.kvstore.functions.local;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.scheduling.annotation.Scheduled;

import dev.kvstore.kv.ExpiredEntryCleanup;

/**
 * The expired-key cleanup on the worker's schedule (CLEANUP_CRON), when no worker runs,
 * counted in {@code background_tasks_total} as the worker counts it.
 */
class ScheduledCleanup {

	private final ExpiredEntryCleanup cleanup;

	private final MeterRegistry meters;

	ScheduledCleanup(ExpiredEntryCleanup cleanup, MeterRegistry meters) {
		this.cleanup = cleanup;
		this.meters = meters;
		meters.counter("background_tasks", "task", "ttl_cleanup", "status", "success");
	}

	@Scheduled(cron = "${kvstore.cleanup.cron}")
	void run() {
		String status = "success";
		try {
			this.cleanup.run();
		}
		catch (RuntimeException ex) {
			status = "failure";
			throw ex;
		}
		finally {
			this.meters.counter("background_tasks", "task", "ttl_cleanup", "status", status).increment();
		}
	}

}
