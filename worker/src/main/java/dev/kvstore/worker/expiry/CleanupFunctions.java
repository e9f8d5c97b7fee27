package dev.kvstore.worker.expiry;

import java.util.function.Supplier;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.kvstore.kv.ExpiredEntryCleanup;

/**
 * The cron-triggered function: removes what expired entries left behind, counted in
 * {@code background_tasks_total{task="ttl_cleanup",status}} and timed in
 * {@code background_task_duration_seconds{task="ttl_cleanup"}}.
 */
@Configuration(proxyBeanMethods = false)
class CleanupFunctions {

	static final String TASK = "ttl_cleanup";

	@Bean
	public Supplier<ExpiredEntryCleanup.Report> ttlCleanup(ExpiredEntryCleanup cleanup, MeterRegistry meters) {
		Timer duration = Timer.builder("background_task_duration")
			.tag("task", TASK)
			.publishPercentileHistogram()
			.register(meters);
		return () -> {
			try {
				ExpiredEntryCleanup.Report report = duration.record(cleanup::run);
				meters.counter("background_tasks", "task", TASK, "status", "success").increment();
				return report;
			}
			catch (RuntimeException ex) {
				meters.counter("background_tasks", "task", TASK, "status", "failure").increment();
				throw ex;
			}
		};
	}

}
