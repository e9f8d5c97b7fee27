package dev.kvstore.audit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import dev.kvstore.json.ApiJson;
import dev.kvstore.problem.ApiException;
import dev.kvstore.redis.LuaScripts;
import dev.kvstore.redis.RedisKeys;
import dev.kvstore.tenant.TenantId;

/**
 * Each tenant's audit log in Redis, newest first, kept for the retention period.
 * Appending is idempotent: a redelivered event is stored once.
 */
public class AuditLog {

	private static final RedisScript<List<String>> APPEND = LuaScripts.load(AuditLog.class, "append.lua");

	private final StringRedisTemplate redis;

	private final Duration retention;

	public AuditLog(StringRedisTemplate redis, Duration retention) {
		this.redis = redis;
		this.retention = retention;
	}

	/**
	 * A page of events, newest first, and the cursor of the next (older) page or
	 * {@code null}.
	 */
	public record Page(List<AuditEvent> items, String next) {
	}

	/** Stores the event unless it is already stored; returns whether it was new. */
	public boolean append(AuditEvent event) {
		return appendAll(List.of(event)) == 1;
	}

	/**
	 * Stores the events not already stored, one script call per tenant; returns how many
	 * were new.
	 */
	public int appendAll(List<AuditEvent> events) {
		Map<TenantId, List<AuditEvent>> byTenant = new LinkedHashMap<>();
		events.forEach((event) -> byTenant.computeIfAbsent(tenant(event), (tenant) -> new ArrayList<>()).add(event));
		int stored = 0;
		for (Map.Entry<TenantId, List<AuditEvent>> tenantEvents : byTenant.entrySet()) {
			stored += append(tenantEvents.getKey(), tenantEvents.getValue());
		}
		return stored;
	}

	private int append(TenantId tenant, List<AuditEvent> events) {
		long newest = events.stream().mapToLong((event) -> event.timestamp().toEpochMilli()).max().orElseThrow();
		List<String> args = new ArrayList<>(2 + 2 * events.size());
		args.add(member(newest - this.retention.toMillis(), ""));
		args.add(Long.toString(this.retention.toMillis()));
		for (AuditEvent event : events) {
			args.add(member(event.timestamp().toEpochMilli(), event.eventId()));
			args.add(ApiJson.mapper().writeValueAsString(event.withSignature(null)));
		}
		List<String> reply = this.redis.execute(APPEND,
				List.of(RedisKeys.auditLog(tenant), RedisKeys.auditEvents(tenant)), args.toArray());
		return Integer.parseInt(reply.getFirst());
	}

	private static TenantId tenant(AuditEvent event) {
		return (event.tenantId() != null) ? new TenantId(event.tenantId()) : TenantId.NONE;
	}

	public Page page(TenantId tenant, AuditQuery query) {
		String before = (query.before() != null) ? decodeCursor(query.before()) : null;
		Range<String> range = (before != null)
				? Range.<String>from(Range.Bound.unbounded()).to(Range.Bound.exclusive(before)) : Range.unbounded();
		Set<String> members = this.redis.opsForZSet()
			.reverseRangeByLex(RedisKeys.auditLog(tenant), range, Limit.limit().count(query.limit() + 1));
		List<String> page = new ArrayList<>(members);
		String next = null;
		if (page.size() > query.limit()) {
			page = page.subList(0, query.limit());
			next = encodeCursor(page.getLast());
		}
		List<AuditEvent> items = new ArrayList<>(page.size());
		if (!page.isEmpty()) {
			List<Object> json = this.redis.opsForHash().multiGet(RedisKeys.auditEvents(tenant), List.copyOf(page));
			for (Object event : json) {
				if (event != null) {
					items.add(ApiJson.mapper().readValue((String) event, AuditEvent.class));
				}
			}
		}
		return new Page(items, next);
	}

	/**
	 * Sorts by time, then event id: zero-padded milliseconds make text order time order.
	 */
	private static String member(long epochMillis, String eventId) {
		return "%015d|%s".formatted(epochMillis, eventId);
	}

	private static String encodeCursor(String member) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(member.getBytes(StandardCharsets.UTF_8));
	}

	private static String decodeCursor(String cursor) {
		try {
			String member = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
			if (member.length() < 17 || member.charAt(15) != '|') {
				throw new IllegalArgumentException("not a cursor");
			}
			return member;
		}
		catch (IllegalArgumentException ex) {
			throw new ApiException.Invalid("before must be a cursor returned as next by this endpoint");
		}
	}

}
