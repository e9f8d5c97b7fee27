package dev.kvstore.functions.audit;

import java.time.Duration;
import java.util.function.Function;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.messaging.Message;
import org.springframework.scheduling.annotation.EnableScheduling;

import dev.kvstore.audit.AuditLog;
import dev.kvstore.audit.AuditQuery;
import dev.kvstore.audit.AuditRelay;
import dev.kvstore.audit.AuditSink;
import dev.kvstore.audit.AuditTrail;
import dev.kvstore.audit.RabbitAuditSink;
import dev.kvstore.kv.EntryRepository;
import dev.kvstore.kv.ExpiredEntryCleanup;
import dev.kvstore.tenant.TenantId;

/**
 * Where audit events go. With RABBITMQ_HOST set they are published to RabbitMQ for the
 * worker; without it (the one-command local run) they go straight to the audit log
 * through the same code the worker's consumer runs, and expired-key cleanup runs here on
 * the worker's schedule.
 */
@Configuration(proxyBeanMethods = false)
public class AuditConfiguration {

	@Bean
	AuditLog auditLog(StringRedisTemplate redis, @Value("${kvstore.audit.retention}") Duration retention) {
		return new AuditLog(redis, retention);
	}

	@Bean
	AuditRelay auditRelay(StringRedisTemplate redis, AuditSink sink) {
		return new AuditRelay(redis, sink);
	}

	@Bean
	AuditTrail auditTrail(StringRedisTemplate redis, AuditRelay relay) {
		return new AuditTrail(redis, relay::wake);
	}

	@Bean
	public Function<Message<AuditQuery>, AuditLog.Page> listAudit(AuditLog log) {
		return (request) -> log.page(TenantId.of(request), request.getPayload());
	}

	@Configuration(proxyBeanMethods = false)
	@Conditional(RabbitConfigured.class)
	static class ToRabbit {

		@Bean
		AuditSink rabbitAuditSink(StreamBridge bridge) {
			return new RabbitAuditSink(bridge, Duration.ofSeconds(5));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Conditional(RabbitConfigured.Not.class)
	@EnableScheduling
	static class InProcess {

		@Bean
		AuditSink inProcessAuditSink(AuditLog log) {
			return (events) -> events.forEach(log::append);
		}

		@Bean
		ExpiredEntryCleanup expiredEntryCleanup(StringRedisTemplate redis, EntryRepository entries) {
			return new ExpiredEntryCleanup(redis, entries);
		}

		@Bean
		ScheduledCleanup scheduledCleanup(ExpiredEntryCleanup cleanup, MeterRegistry meters) {
			return new ScheduledCleanup(cleanup, meters);
		}

	}

}
