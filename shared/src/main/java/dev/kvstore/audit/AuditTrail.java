package dev.kvstore.audit;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.kvstore.audit.AuditEvent.Operation;
import dev.kvstore.redis.RedisKeys;
import dev.kvstore.tenant.Caller;
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

	/** An event in the outbox of the caller's tenant. */
	public void success(Caller caller, Operation operation) {
		record(caller, operation, AuditEvent.SUCCESS);
	}

	public void failure(Caller caller, Operation operation) {
		record(caller, operation, AuditEvent.FAILURE);
	}

	private void record(Caller caller, Operation operation, String outcome) {
		TenantId tenant = caller.requiredTenant();
		Map<String, String> fields = new LinkedHashMap<>();
		fields.put("op", operation.wire());
		fields.put("outcome", outcome);
		fields.put("ts", Long.toString(Instant.now().toEpochMilli()));
		fields.put("rid", caller.requestId());
		fields.put("ip", caller.clientAddress());
		this.redis.opsForStream().add(StreamRecords.string(fields).withStreamKey(RedisKeys.outbox(tenant)));
		this.afterAudit.accept(tenant);
	}

}
