package dev.kvstore.audit;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.kvstore.audit.AuditEvent.Operation;
import dev.kvstore.redis.RedisKeys;
import dev.kvstore.tenant.TenantId;

/**
 * Records the security events that are not a key change (register, login, refresh,
 * logout, account changes) in the tenant's outbox, in the same form as the scripts write
 * key changes.
 */
public class AuditTrail {

	private final StringRedisTemplate redis;

	private final Consumer<TenantId> afterAudit;

	public AuditTrail(StringRedisTemplate redis, Consumer<TenantId> afterAudit) {
		this.redis = redis;
		this.afterAudit = afterAudit;
	}

	public void success(TenantId tenant, Operation operation) {
		record(tenant, operation, AuditEvent.SUCCESS);
	}

	public void failure(TenantId tenant, Operation operation) {
		record(tenant, operation, AuditEvent.FAILURE);
	}

	private void record(TenantId tenant, Operation operation, String outcome) {
		RequestContext context = RequestContext.current();
		Map<String, String> fields = new LinkedHashMap<>();
		fields.put("op", operation.wire());
		fields.put("outcome", outcome);
		fields.put("ts", Long.toString(Instant.now().toEpochMilli()));
		fields.put("rid", context.requestId());
		fields.put("ip", context.clientAddress());
		this.redis.opsForStream().add(StreamRecords.string(fields).withStreamKey(RedisKeys.outbox(tenant)));
		this.afterAudit.accept(tenant);
	}

}
