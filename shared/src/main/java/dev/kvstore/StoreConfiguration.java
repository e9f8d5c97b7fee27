package dev.kvstore;

import java.time.Duration;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.kvstore.audit.AuditLog;
import dev.kvstore.audit.AuditRelay;
import dev.kvstore.audit.AuditSink;
import dev.kvstore.audit.OutboxBacklog;
import dev.kvstore.kv.EntryRepository;
import dev.kvstore.kv.ExpiredEntryCleanup;
import dev.kvstore.kv.KvSettings;
import dev.kvstore.kv.TenantPurge;
import dev.kvstore.kv.TenantSweeps;
import dev.kvstore.redis.AsyncScripts;

/**
 * The store as both apps use it: entries, the audit log, the relay that carries audit
 * events from the outboxes to the app's {@link AuditSink} (a bean of each app's own), and
 * the expired-entry cleanup. Each app imports it.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(KvSettings.class)
public class StoreConfiguration {

	@Bean
	AsyncScripts asyncScripts(LettuceConnectionFactory connections) {
		AsyncScripts scripts = new AsyncScripts(connections);
		scripts.connectNow();
		return scripts;
	}

	@Bean
	EntryRepository entryRepository(AsyncScripts scripts, KvSettings settings, AuditRelay relay) {
		return new EntryRepository(scripts, settings, relay::wake);
	}

	@Bean
	AuditLog auditLog(StringRedisTemplate redis, @Value("${kvstore.audit.retention}") Duration retention) {
		return new AuditLog(redis, retention);
	}

	@Bean
	AuditRelay auditRelay(StringRedisTemplate redis, AuditSink sink) {
		return new AuditRelay(redis, sink);
	}

	/** The outbox backlog gauges on {@code /metrics}. */
	@Bean
	OutboxBacklog outboxBacklog(StringRedisTemplate redis, AuditRelay relay) {
		return new OutboxBacklog(redis, relay);
	}

	@Bean
	TenantSweeps tenantSweeps(AsyncScripts scripts, KvSettings settings, AuditRelay relay) {
		return new TenantSweeps(scripts, settings, relay::wake);
	}

	@Bean
	TenantPurge tenantPurge(StringRedisTemplate redis, TenantSweeps sweeps) {
		return new TenantPurge(redis, sweeps);
	}

	@Bean
	ExpiredEntryCleanup expiredEntryCleanup(StringRedisTemplate redis, TenantSweeps sweeps, TenantPurge purge) {
		return new ExpiredEntryCleanup(redis, sweeps, purge);
	}

}
