package dev.kvstore.functions.local;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

import dev.kvstore.audit.AuditConsumer;
import dev.kvstore.audit.AuditLog;
import dev.kvstore.audit.AuditSink;
import dev.kvstore.functions.audit.RabbitConfigured;
import dev.kvstore.kv.ExpiredEntryCleanup;

/**
 * Without RABBITMQ_HOST no worker runs: the relay hands audit events to the worker's own
 * consumer ({@link AuditConsumer}, counted the same way), in this process, and the
 * expired-key cleanup runs here on the worker's schedule.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(RabbitConfigured.Not.class)
@EnableScheduling
class InProcessAudit {

	@Bean
	AuditSink inProcessAuditSink(AuditLog log, MeterRegistry meters) {
		return new AuditConsumer(log, meters)::acceptAll;
	}

	@Bean
	ScheduledCleanup scheduledCleanup(ExpiredEntryCleanup cleanup, MeterRegistry meters) {
		return new ScheduledCleanup(cleanup, meters);
	}

}
