package dev.kvstore.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import dev.kvstore.audit.AuditEvent.Operation;
import dev.kvstore.redis.LuaScripts;
import dev.kvstore.redis.RedisKeys;
import dev.kvstore.tenant.Caller;
import dev.kvstore.tenant.TenantId;

/**
 * Records the security events that are not a key change (register, login, refresh,
 * logout, account changes) in the tenant's outbox, in the same form as the scripts write
 * key changes; and reads an outbox entry of either kind back as an {@link AuditEvent}.
 */
public class AuditTrail {

	private static final RedisScript<List<String>> TRAIL = LuaScripts.load(AuditTrail.class, "trail.lua");

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
		List<String> args = new ArrayList<>(1 + 2 * fields.size());
		args.add(tenant.toString());
		fields.forEach((name, value) -> {
			args.add(name);
			args.add(value);
		});
		this.redis.execute(TRAIL, List.of(RedisKeys.outbox(tenant), RedisKeys.outboxIndex(tenant)), args.toArray());
		this.afterAudit.accept(tenant);
	}

	/** The event of the outbox entry {@code entryId}, whose fields are {@code fields}. */
	static AuditEvent read(TenantId tenant, String entryId, Map<Object, Object> fields) {
		return new AuditEvent(tenant + ":" + entryId, TenantId.NONE.equals(tenant) ? null : tenant.value(),
				(String) fields.get("op"), text(fields.get("key")), number(fields.get("version")),
				(String) fields.getOrDefault("outcome", AuditEvent.SUCCESS),
				Instant.ofEpochMilli(Long.parseLong((String) fields.get("ts"))), text(fields.get("rid")),
				text(fields.get("ip")), text(fields.get("by")));
	}

	private static String text(Object field) {
		return (field == null || ((String) field).isEmpty()) ? null : (String) field;
	}

	private static Long number(Object field) {
		String text = text(field);
		return (text != null) ? Long.valueOf(text) : null;
	}

}
