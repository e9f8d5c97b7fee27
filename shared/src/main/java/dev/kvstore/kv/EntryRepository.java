package dev.kvstore.kv;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import dev.kvstore.audit.AuditEvent.Operation;
import dev.kvstore.json.ApiJson;
import dev.kvstore.kv.Responses.EntryPage;
import dev.kvstore.kv.Responses.TimeToLive;
import dev.kvstore.problem.ApiException;
import dev.kvstore.redis.AsyncScripts;
import dev.kvstore.redis.LuaScripts;
import dev.kvstore.redis.RedisKeys;
import dev.kvstore.tenant.Caller;
import dev.kvstore.tenant.TenantId;

/**
 * A tenant's entries in Redis. Every operation is one script, one round trip, and blocks
 * no thread (its answer is a {@link Mono}): the script checks that the tenant's account
 * is still active, then reads or changes an entry and its indexes atomically.
 */
public class EntryRepository {

	private static final RedisScript<List<String>> GET = script("get.lua");

	private static final RedisScript<List<String>> EXPIRY = script("expiry.lua");

	private static final RedisScript<List<String>> CREATE = script("create.lua");

	private static final RedisScript<List<String>> UPDATE = script("update.lua");

	private static final RedisScript<List<String>> DELETE = script("delete.lua");

	private static final RedisScript<List<String>> PAGE = script("page.lua");

	private static final RedisScript<List<String>> COUNT = script("count.lua");

	private static final RedisScript<List<String>> DROP = script("drop.lua");

	private static final RedisScript<List<String>> CLEANUP = script("cleanup.lua");

	/**
	 * Fields a script returns per entry: key, value, version, tags, ttl, created,
	 * updated, expires.
	 */
	private static final int ENTRY_WIDTH = 8;

	private static final int DROP_BATCH = 500;

	private final AsyncScripts scripts;

	private final KvSettings settings;

	private final ScriptRefusals refusals;

	private final Consumer<TenantId> afterAudit;

	private final String opsPerSecond;

	private final String maxKeys;

	private final String maxBytes;

	public EntryRepository(AsyncScripts scripts, KvSettings settings) {
		this(scripts, settings, (tenant) -> {
		});
	}

	/**
	 * @param afterAudit told of every tenant whose outbox a script just appended audit
	 * events to (the audit relay)
	 */
	public EntryRepository(AsyncScripts scripts, KvSettings settings, Consumer<TenantId> afterAudit) {
		this.scripts = scripts;
		this.settings = settings;
		this.refusals = new ScriptRefusals(settings);
		this.afterAudit = afterAudit;
		this.opsPerSecond = Integer.toString(settings.opsPerSecond());
		this.maxKeys = Long.toString(settings.maxKeys());
		this.maxBytes = Long.toString(settings.maxBytes());
	}

	public Mono<Entry> find(Caller caller, String key) {
		return run(GET, caller, checkedKey(key)).map((reply) -> entry(reply, 2));
	}

	public Mono<Boolean> exists(Caller caller, String key) {
		return execute(EXPIRY, caller, checkedKey(key)).map((reply) -> !"none".equals(reply.getFirst()));
	}

	public Mono<TimeToLive> timeToLive(Caller caller, String key) {
		return run(EXPIRY, caller, checkedKey(key)).map((reply) -> {
			if (reply.get(2).isEmpty()) {
				return new TimeToLive(null);
			}
			long leftMillis = Long.parseLong(reply.get(2)) - Long.parseLong(reply.get(1));
			return new TimeToLive((leftMillis + 999) / 1000);
		});
	}

	public Mono<Entry> create(Caller caller, NewEntry entry) {
		return insert(caller, List.of(entry), Operation.CREATE).map(List::getFirst);
	}

	/**
	 * Creates every entry, or none when any key already holds one (409 naming those
	 * keys).
	 */
	public Mono<List<Entry>> createAll(Caller caller, List<NewEntry> entries) {
		return insert(caller, entries, Operation.BATCH);
	}

	private Mono<List<Entry>> insert(Caller caller, List<NewEntry> entries, Operation operation) {
		List<String> args = new ArrayList<>(1 + entries.size() * 4);
		args.add(operation.wire());
		List<String> values = new ArrayList<>(entries.size());
		for (NewEntry entry : entries) {
			String value = valueText(entry.value());
			values.add(value);
			args.add(checkedKey(entry.key()));
			args.add(value);
			args.add(tagsText(entry.tags()));
			args.add((entry.ttl() != null) ? entry.ttl().toString() : "");
		}
		return execute(CREATE, caller, args.toArray(String[]::new)).map((reply) -> {
			if ("taken".equals(reply.getFirst())) {
				List<String> taken = reply.subList(1, reply.size());
				throw new ApiException.Conflict("key already exists: " + String.join(", ", taken), taken);
			}
			this.afterAudit.accept(caller.requiredTenant());
			Instant now = Instant.ofEpochMilli(Long.parseLong(reply.get(1)));
			List<Entry> created = new ArrayList<>(entries.size());
			for (int i = 0; i < entries.size(); i++) {
				NewEntry entry = entries.get(i);
				Instant expiresAt = (entry.ttl() != null) ? now.plusSeconds(entry.ttl()) : null;
				created.add(new Entry(entry.key(), values.get(i),
						new Entry.Metadata(1, entry.ttl(), sorted(entry.tags()), now, now, expiresAt)));
			}
			return created;
		});
	}

	public Mono<Entry> update(Caller caller, EntryUpdate update) {
		Expiry expiry = update.expiry();
		String expiryMode = (expiry == null) ? "keep" : (expiry.ttlSeconds() == null) ? "never" : "set";
		return run(UPDATE, caller, checkedKey(update.key()), (update.value() != null) ? "1" : "0",
				(update.value() != null) ? valueText(update.value()) : "", expiryMode,
				(expiry != null && expiry.ttlSeconds() != null) ? expiry.ttlSeconds().toString() : "",
				(update.tags() != null) ? "1" : "0", (update.tags() != null) ? tagsText(update.tags()) : "")
			.map((reply) -> {
				this.afterAudit.accept(caller.requiredTenant());
				return entry(reply, 2);
			});
	}

	public Mono<Void> delete(Caller caller, String key) {
		return run(DELETE, caller, checkedKey(key)).doOnNext((reply) -> this.afterAudit.accept(caller.requiredTenant()))
			.then();
	}

	public Mono<EntryPage> page(Caller caller, PageQuery query) {
		return run(PAGE, caller, query.tagName(), query.tagValue(), Long.toString(query.firstRank()),
				Long.toString(query.lastRank()), Integer.toString(this.settings.maxPageBytes()),
				query.keysOnly() ? "1" : "0")
			.map((reply) -> {
				if (!"0".equals(reply.get(3))) {
					this.afterAudit.accept(caller.requiredTenant());
				}
				List<Entry> items = new ArrayList<>((reply.size() - 5) / ENTRY_WIDTH);
				for (int at = 5; at < reply.size(); at += ENTRY_WIDTH) {
					Entry entry = entry(reply, at);
					items.add(query.keysOnly() ? new Entry(entry.key(), null, entry.metadata()) : entry);
				}
				String next = reply.get(4);
				return new EntryPage(items, query.page(), query.pageSize(), Long.parseLong(reply.get(2)),
						next.isEmpty() ? null : Long.valueOf(next));
			});
	}

	public Mono<Long> count(Caller caller) {
		return run(COUNT, caller).map((reply) -> Long.parseLong(reply.get(1)));
	}

	/**
	 * Deletes every entry of a tenant whose account is already gone, a bounded batch per
	 * round trip.
	 */
	public Mono<Void> deleteAll(TenantId tenant) {
		return dropSome(tenant, DROP_BATCH).repeat().takeUntil((removed) -> removed == 0).then();
	}

	/**
	 * Deletes up to {@code limit} entries (at most a batch) of a tenant whose account is
	 * already gone; how many. At 0 the tenant's indexes and sessions are gone too.
	 */
	public Mono<Integer> dropSome(TenantId tenant, int limit) {
		int batch = Math.min(limit, DROP_BATCH);
		return this.scripts.run(DROP, keys(tenant), argv(Caller.system(tenant), Integer.toString(batch)))
			.map((reply) -> Integer.valueOf(reply.getFirst()));
	}

	/**
	 * What one cleanup pass over a tenant did; {@code nextExpiry} is null when nothing
	 * else expires.
	 */
	public record Cleanup(int removed, Instant nextExpiry) {
	}

	/**
	 * Removes up to {@code limit} expired entries of a tenant with their index
	 * memberships, each with an {@code expire} audit event, touching nothing else.
	 */
	public Mono<Cleanup> removeExpired(TenantId tenant, int limit) {
		return this.scripts.run(CLEANUP, keys(tenant), argv(Caller.system(tenant), Integer.toString(limit)))
			.map((reply) -> {
				int removed = Integer.parseInt(reply.get(0));
				if (removed > 0) {
					this.afterAudit.accept(tenant);
				}
				String next = reply.get(1);
				return new Cleanup(removed,
						next.isEmpty() ? null : Instant.ofEpochMilli(new BigDecimal(next).longValue()));
			});
	}

	/** The script's reply for an existing entry ({@code ok}); 404 when there is none. */
	private Mono<List<String>> run(RedisScript<List<String>> script, Caller caller, String... args) {
		return execute(script, caller, args).map((reply) -> switch (reply.getFirst()) {
			case "ok" -> reply;
			case "none" -> throw new ApiException.NotFound("key not found: " + args[0]);
			default -> throw new IllegalStateException("unexpected script reply " + reply.getFirst());
		});
	}

	/**
	 * The script's reply, unless it refuses the request: account gone, rate or quota
	 * exceeded.
	 */
	private Mono<List<String>> execute(RedisScript<List<String>> script, Caller caller, String... args) {
		TenantId tenant = caller.requiredTenant();
		return this.scripts.run(script, keys(tenant), argv(caller, args)).map(this.refusals::replyOrThrow);
	}

	/**
	 * The tenant prefix, the request's id and client address for audit events, the
	 * tenant's limits, then the script's own.
	 */
	private List<String> argv(Caller caller, String... args) {
		String[] argv = new String[args.length + 6];
		argv[0] = RedisKeys.tenant(caller.requiredTenant());
		argv[1] = caller.requestId();
		argv[2] = caller.clientAddress();
		argv[3] = this.opsPerSecond;
		argv[4] = this.maxKeys;
		argv[5] = this.maxBytes;
		System.arraycopy(args, 0, argv, 6, args.length);
		return Arrays.asList(argv);
	}

	private String checkedKey(String key) {
		if (key.codePointCount(0, key.length()) > this.settings.maxKeySize()) {
			throw new ApiException.Invalid("key must be at most " + this.settings.maxKeySize() + " characters");
		}
		return key;
	}

	private String valueText(JsonNode value) {
		String text = ApiJson.mapper().writeValueAsString(value);
		if (text.length() > this.settings.maxValueSize()
				|| text.getBytes(StandardCharsets.UTF_8).length > this.settings.maxValueSize()) {
			throw new ApiException.TooLarge("value must be at most " + this.settings.maxValueSize() + " bytes of JSON");
		}
		return text;
	}

	private static String tagsText(Map<String, String> tags) {
		return tags.isEmpty() ? "{}" : ApiJson.mapper().writeValueAsString(sorted(tags));
	}

	private static Map<String, String> sorted(Map<String, String> tags) {
		return tags.isEmpty() ? Map.of() : new TreeMap<>(tags);
	}

	private static Entry entry(List<String> reply, int at) {
		String tags = reply.get(at + 3);
		String ttl = reply.get(at + 4);
		return new Entry(reply.get(at), reply.get(at + 1),
				new Entry.Metadata(Long.parseLong(reply.get(at + 2)), ttl.isEmpty() ? null : Long.valueOf(ttl),
						(tags.isEmpty() || tags.equals("{}")) ? Map.of()
								: ApiJson.mapper().readValue(tags, Expiry.TAGS),
						instant(reply.get(at + 5)), instant(reply.get(at + 6)), instant(reply.get(at + 7))));
	}

	private static Instant instant(String millis) {
		return millis.isEmpty() ? null : Instant.ofEpochMilli(Long.parseLong(millis));
	}

	private static List<String> keys(TenantId tenant) {
		return List.of(RedisKeys.account(tenant));
	}

	private static RedisScript<List<String>> script(String name) {
		return LuaScripts.load(EntryRepository.class, LuaScripts.CLOCK, "entries.lua", name);
	}

}
