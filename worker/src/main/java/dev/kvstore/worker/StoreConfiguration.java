package dev.kvstore.worker;

import java.time.Duration;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.kvstore.audit.AuditLog;
import dev.kvstore.audit.AuditRelay;
import dev.kvstore.audit.RabbitAuditSink;
import dev.kvstore.kv.EntryRepository;
import dev.kvstore.kv.ExpiredEntryCleanup;
import dev.kvstore.kv.KvSettings;

/**
 * The repositories the worker's functions use, and the relay that publishes the
 * {@code expire} events the cleanup writes to the outboxes.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(KvSettings.class)
class StoreConfiguration {

	@Bean
	AuditLog auditLog(StringRedisTemplate redis, @Value("${kvstore.audit.retention}") Duration retention) {
		return new AuditLog(redis, retention);
	}

	@Bean
	AuditRelay auditRelay(StringRedisTemplate redis, StreamBridge bridge) {
		return new AuditRelay(redis, new RabbitAuditSink(bridge, Duration.ofSeconds(5)));
	}

	@Bean
	EntryRepository entryRepository(StringRedisTemplate redis, KvSettings settings, AuditRelay relay) {
		return new EntryRepository(redis, settings, relay::wake);
	}

	@Bean
	ExpiredEntryCleanup expiredEntryCleanup(StringRedisTemplate redis, EntryRepository entries) {
		return new ExpiredEntryCleanup(redis, entries);
	}

}
