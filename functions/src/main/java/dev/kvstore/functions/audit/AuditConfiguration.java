package dev.kvstore.functions.audit;

import java.util.function.Function;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.messaging.Message;

import dev.kvstore.audit.AuditLog;
import dev.kvstore.audit.AuditQuery;
import dev.kvstore.audit.AuditRelay;
import dev.kvstore.audit.AuditSink;
import dev.kvstore.audit.AuditTrail;
import dev.kvstore.audit.RabbitAuditSink;
import dev.kvstore.auth.AccountRepository;
import dev.kvstore.problem.ApiException;
import dev.kvstore.tenant.Caller;
import dev.kvstore.tenant.TenantId;

/**
 * Where audit events go: with RABBITMQ_HOST set, published to RabbitMQ for the worker
 * (without it, see {@code dev.kvstore.functions.local}); and the {@code listAudit}
 * endpoint, which reads through the blocking template and so runs on a worker thread.
 */
@Configuration(proxyBeanMethods = false)
class AuditConfiguration {

	@Bean
	AuditTrail auditTrail(StringRedisTemplate redis, AuditRelay relay) {
		return new AuditTrail(redis, relay::wake);
	}

	@Bean
	public Function<Message<AuditQuery>, AuditLog.Page> listAudit(AuditLog log, AccountRepository accounts) {
		return (request) -> {
			TenantId tenant = Caller.of(request).requiredTenant();
			if (!accounts.isActive(tenant)) {
				throw new ApiException.Unauthorized("the account of this token no longer exists");
			}
			return log.page(tenant, request.getPayload());
		};
	}

	@Bean
	@Conditional(RabbitConfigured.class)
	AuditSink rabbitAuditSink(ConnectionFactory connections, Environment configuration) {
		return RabbitAuditSink.configured(connections, configuration);
	}

}
