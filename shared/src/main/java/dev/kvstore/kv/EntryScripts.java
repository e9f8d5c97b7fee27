package dev.kvstore.kv;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import dev.kvstore.json.ApiJson;
import dev.kvstore.problem.ApiException;
import dev.kvstore.redis.AsyncScripts;
import dev.kvstore.redis.LuaScripts;
import dev.kvstore.redis.RedisKeys;
import dev.kvstore.tenant.Caller;
import dev.kvstore.tenant.TenantId;

/**
 * How the entry scripts are called: each declares every key it touches (see entries.lua),
 * the tenant's account hash, its slot's index of outboxes and the tenant's own keys the
 * script may touch, then the entries and tag indexes the request names; it takes the
 * arguments every one takes, then its own. A script that finds it needs keys only Redis
 * knows of (an entry's stored tags, the entries an index lists) asks for them before it
 * changes anything and runs again with them. A refusal (account gone, rate, quota) or a
 * failed condition comes back as the client's problem. Also the checks of what a request
 * may hand a script: key and value sizes.
 */
final class EntryScripts {

	/**
	 * The most runs of one script that ask for keys: a purge asks for the expired
	 * entries, then for their tags' indexes; writes in between can make it ask once more.
	 */
	private static final int MOST_ASKS = 4;

	private final AsyncScripts scripts;

	private final KvSettings settings;

	private final ScriptRefusals refusals;

	private final String opsPerSecond;

	private final String maxKeys;

	private final String maxBytes;

	EntryScripts(AsyncScripts scripts, KvSettings settings) {
		this.scripts = scripts;
		this.settings = settings;
		this.refusals = new ScriptRefusals(settings);
		this.opsPerSecond = Integer.toString(settings.opsPerSecond());
		this.maxKeys = Long.toString(settings.maxKeys());
		this.maxBytes = Long.toString(settings.maxBytes());
	}

	/**
	 * An entry script, the clock and entries.lua then its own parts, and whether it only
	 * reads entries (it is then given only the tenant's rate counter of the tenant's own
	 * keys).
	 */
	record Script(RedisScript<List<String>> lua, boolean readsOnly) {

	}

	/** An entry script that may touch any of the tenant's keys. */
	static Script load(String... parts) {
		return new Script(lua(parts), false);
	}

	/** An entry script that only reads entries. */
	static Script loadReader(String... parts) {
		return new Script(lua(parts), true);
	}

	private static RedisScript<List<String>> lua(String... parts) {
		String[] all = new String[parts.length + 2];
		all[0] = LuaScripts.CLOCK;
		all[1] = "entries.lua";
		System.arraycopy(parts, 0, all, 2, parts.length);
		return LuaScripts.load(EntryRepository.class, all);
	}

	/**
	 * The script's reply for an existing entry ({@code ok}); 404 when there is none, 412
	 * when the request's conditions do not hold. {@code named}: the keys the request
	 * names (its entries and tag indexes).
	 */
	Mono<List<String>> run(Script script, Caller caller, List<String> named, String... args) {
		return execute(script, caller, named, args).map((reply) -> switch (reply.getFirst()) {
			case "ok" -> reply;
			case "none" -> throw new ApiException.NotFound("key not found: " + args[0]);
			case "failed" ->
				throw new ApiException.PreconditionFailed("the key's entity tag does not meet the request's "
						+ "If-Match or If-None-Match (nothing was written)");
			default -> throw new IllegalStateException("unexpected script reply " + reply.getFirst());
		});
	}

	/**
	 * The script's reply, unless it refuses the request: account gone, rate or quota
	 * exceeded.
	 */
	Mono<List<String>> execute(Script script, Caller caller, List<String> named, String... args) {
		return declaring(script, keys(script, caller.requiredTenant(), named), argv(caller, args), 0)
			.map(this.refusals::replyOrThrow);
	}

	/** The script's reply as it is, for the app's own work on a tenant. */
	Mono<List<String>> executeAsSystem(Script script, TenantId tenant, List<String> named, String... args) {
		return declaring(script, keys(script, tenant, named), argv(Caller.system(tenant), args), 0);
	}

	/**
	 * Runs the script with {@code keys} declared, and again with the keys it asks for
	 * ({@code {"keys", names...}}) added, up to {@value #MOST_ASKS} times; 503 when it
	 * still asks after that.
	 */
	private Mono<List<String>> declaring(Script script, List<String> keys, List<String> argv, int asks) {
		return this.scripts.run(script.lua(), keys, argv).flatMap((reply) -> {
			if (!"keys".equals(reply.getFirst())) {
				return Mono.just(reply);
			}
			if (asks == MOST_ASKS) {
				return Mono.error(new ApiException.Unavailable("the entries changed too often while being read"));
			}
			List<String> more = new ArrayList<>(keys.size() + reply.size() - 1);
			more.addAll(keys);
			more.addAll(reply.subList(1, reply.size()));
			return declaring(script, more, argv, asks + 1);
		});
	}

	/**
	 * The tenant prefix, the request's id, client address and API key for audit events,
	 * the tenant's limits, then the script's own.
	 */
	private List<String> argv(Caller caller, String... args) {
		String[] argv = new String[args.length + 7];
		argv[0] = RedisKeys.tenant(caller.requiredTenant());
		argv[1] = caller.requestId();
		argv[2] = caller.clientAddress();
		argv[3] = caller.apiKeyId();
		argv[4] = this.opsPerSecond;
		argv[5] = this.maxKeys;
		argv[6] = this.maxBytes;
		System.arraycopy(args, 0, argv, 7, args.length);
		return Arrays.asList(argv);
	}

	/**
	 * The account hash and its slot's index of outboxes (KEYS[1] and KEYS[2]), the
	 * tenant's own keys the script may touch, then {@code named}.
	 */
	private static List<String> keys(Script script, TenantId tenant, List<String> named) {
		List<String> keys = new ArrayList<>(9 + named.size());
		keys.add(RedisKeys.account(tenant));
		keys.add(RedisKeys.outboxIndex(tenant));
		keys.add(RedisKeys.rate(tenant));
		if (!script.readsOnly()) {
			keys.add(RedisKeys.keyIndex(tenant));
			keys.add(RedisKeys.expiringKeys(tenant));
			keys.add(RedisKeys.outbox(tenant));
			keys.add(RedisKeys.watched(tenant));
			keys.add(RedisKeys.changes(tenant));
			keys.add(RedisKeys.watches(tenant));
		}
		keys.addAll(named);
		return keys;
	}

	/** The entries of {@code keys}, as a script declares them. */
	static List<String> entries(Caller caller, List<String> keys) {
		List<String> entries = new ArrayList<>(keys.size());
		for (String key : keys) {
			entries.add(RedisKeys.entry(caller.requiredTenant(), key));
		}
		return entries;
	}

	/** The indexes of {@code tags}, as a script declares them. */
	static List<String> tagIndexes(Caller caller, Map<String, String> tags) {
		List<String> indexes = new ArrayList<>(tags.size());
		tags.forEach((name, value) -> indexes.add(RedisKeys.tagIndex(caller.requiredTenant(), name, value)));
		return indexes;
	}

	/** The key, if it is not too long and the caller's API key (if any) covers it. */
	String checkedKey(Caller caller, String key) {
		checkLength("key", key);
		return (caller.grant() != null) ? caller.grant().covering(key) : key;
	}

	/**
	 * The prefix a listing or count covers: the one asked for ({@code ""} when none),
	 * narrowed to the caller's API key's.
	 */
	String listedPrefix(Caller caller, @Nullable String wanted) {
		String prefix = (wanted != null) ? wanted : "";
		checkLength("prefix", prefix);
		return (caller.grant() != null) ? caller.grant().narrowing(prefix) : prefix;
	}

	/** Refuses a key or prefix longer than a key may be. */
	private void checkLength(String what, String text) {
		if (text.codePointCount(0, text.length()) > this.settings.maxKeySize()) {
			throw new ApiException.Invalid(what + " must be at most " + this.settings.maxKeySize() + " characters");
		}
	}

	/** Refuses a write to a caller whose API key may only read. */
	static void mayWrite(Caller caller) {
		if (caller.grant() != null && !caller.grant().mayWrite()) {
			throw new ApiException.Forbidden("this API key may only read");
		}
	}

	/** Whether {@code key} sorts after every key that starts with {@code prefix}. */
	static boolean sortsAfter(String key, String prefix) {
		byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
		byte[] start = prefix.getBytes(StandardCharsets.UTF_8);
		return Arrays.compareUnsigned(bytes, 0, Math.min(bytes.length, start.length), start, 0,
				Math.min(bytes.length, start.length)) > 0;
	}

	String valueText(JsonNode value) {
		String text = ApiJson.mapper().writeValueAsString(value);
		if (text.length() > this.settings.maxValueSize()
				|| text.getBytes(StandardCharsets.UTF_8).length > this.settings.maxValueSize()) {
			throw new ApiException.TooLarge("value must be at most " + this.settings.maxValueSize() + " bytes of JSON");
		}
		return text;
	}

	static String tagsText(Map<String, String> tags) {
		return tags.isEmpty() ? "{}" : ApiJson.mapper().writeValueAsString(EntryReplies.sorted(tags));
	}

}
