package dev.kvstore.kv;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import reactor.core.publisher.Mono;

import dev.kvstore.audit.AuditEvent.Operation;
import dev.kvstore.kv.Responses.BulkDeletion;
import dev.kvstore.kv.Responses.BulkRead;
import dev.kvstore.kv.Responses.EntryPage;
import dev.kvstore.kv.Responses.TimeToLive;
import dev.kvstore.problem.ApiException;
import dev.kvstore.redis.AsyncScripts;
import dev.kvstore.redis.RedisKeys;
import dev.kvstore.tenant.Caller;
import dev.kvstore.tenant.TenantId;

/**
 * A tenant's entries in Redis. Every operation is one script and blocks no thread (its
 * answer is a {@link Mono}): the script checks that the tenant's account is still active,
 * then reads or changes an entry and its indexes atomically. It takes one round trip, or
 * two or three when it must first ask for keys only Redis knows of
 * ({@link EntryScripts}).
 */
public class EntryRepository {

	private static final EntryScripts.Script GET = EntryScripts.loadReader("get.lua");

	private static final EntryScripts.Script EXPIRY = EntryScripts.loadReader("expiry.lua");

	private static final EntryScripts.Script CREATE = EntryScripts.load("create.lua");

	private static final EntryScripts.Script UPDATE = EntryScripts.load("update.lua");

	private static final EntryScripts.Script DELETE = EntryScripts.load("delete.lua");

	private static final EntryScripts.Script GET_MANY = EntryScripts.loadReader("get_many.lua");

	private static final EntryScripts.Script DELETE_MANY = EntryScripts.load("delete_many.lua");

	private static final EntryScripts.Script PAGE = EntryScripts.load("page.lua");

	private static final EntryScripts.Script WALK = EntryScripts.load("walk.lua");

	private static final EntryScripts.Script COUNT = EntryScripts.load("count.lua");

	private final EntryScripts scripts;

	private final KvSettings settings;

	private final Consumer<TenantId> afterAudit;

	public EntryRepository(AsyncScripts scripts, KvSettings settings) {
		this(scripts, settings, (tenant) -> {
		});
	}

	/**
	 * @param afterAudit told of every tenant whose outbox a script just appended audit
	 * events to (the audit relay)
	 */
	public EntryRepository(AsyncScripts scripts, KvSettings settings, Consumer<TenantId> afterAudit) {
		this.scripts = new EntryScripts(scripts, settings);
		this.settings = settings;
		this.afterAudit = afterAudit;
	}

	public Mono<Entry> find(Caller caller, String key) {
		String checked = this.scripts.checkedKey(caller, key);
		return this.scripts.run(GET, caller, entry(caller, checked), checked)
			.map((reply) -> EntryReplies.entry(reply, 2));
	}

	public Mono<Boolean> exists(Caller caller, String key) {
		String checked = this.scripts.checkedKey(caller, key);
		return this.scripts.execute(EXPIRY, caller, entry(caller, checked), checked)
			.map((reply) -> !"none".equals(reply.getFirst()));
	}

	public Mono<TimeToLive> timeToLive(Caller caller, String key) {
		String checked = this.scripts.checkedKey(caller, key);
		return this.scripts.run(EXPIRY, caller, entry(caller, checked), checked).map((reply) -> {
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
		EntryScripts.mayWrite(caller);
		List<String> args = new ArrayList<>(1 + entries.size() * 4);
		args.add(operation.wire());
		List<String> values = new ArrayList<>(entries.size());
		List<String> named = new ArrayList<>(entries.size());
		for (NewEntry entry : entries) {
			String value = this.scripts.valueText(entry.value());
			String key = this.scripts.checkedKey(caller, entry.key());
			values.add(value);
			args.add(key);
			args.add(value);
			args.add(EntryScripts.tagsText(entry.tags()));
			args.add((entry.ttl() != null) ? entry.ttl().toString() : "");
			named.add(RedisKeys.entry(caller.requiredTenant(), key));
			named.addAll(EntryScripts.tagIndexes(caller, entry.tags()));
		}
		return this.scripts.execute(CREATE, caller, named, args.toArray(String[]::new)).map((reply) -> {
			if ("taken".equals(reply.getFirst())) {
				List<String> taken = reply.subList(1, reply.size());
				throw new ApiException.Conflict("key already exists: " + String.join(", ", taken), taken);
			}
			this.afterAudit.accept(caller.requiredTenant());
			return EntryReplies.created(reply, entries, values);
		});
	}

	public Mono<Entry> update(Caller caller, EntryUpdate update) {
		return update(caller, update, Preconditions.NONE);
	}

	/**
	 * Changes an entry if the request's conditions hold for it (412 otherwise); with
	 * {@code If-None-Match: *}, creates it from the update instead, only if it does not
	 * exist.
	 */
	public Mono<Entry> update(Caller caller, EntryUpdate update, Preconditions conditions) {
		EntryScripts.mayWrite(caller);
		if (conditions.createOnly()) {
			return createOnly(caller, update, conditions);
		}
		Expiry expiry = update.expiry();
		String expiryMode = (expiry == null) ? "keep" : (expiry.ttlSeconds() == null) ? "never" : "set";
		String key = this.scripts.checkedKey(caller, update.key());
		List<String> named = new ArrayList<>(entry(caller, key));
		if (update.tags() != null) {
			named.addAll(EntryScripts.tagIndexes(caller, update.tags()));
		}
		return this.scripts
			.run(UPDATE, caller, named, key, (update.value() != null) ? "1" : "0",
					(update.value() != null) ? this.scripts.valueText(update.value()) : "", expiryMode,
					(expiry != null && expiry.ttlSeconds() != null) ? expiry.ttlSeconds().toString() : "",
					(update.tags() != null) ? "1" : "0",
					(update.tags() != null) ? EntryScripts.tagsText(update.tags()) : "", conditions.ifMatchArgument(),
					conditions.ifNoneMatchArgument())
			.map((reply) -> {
				this.afterAudit.accept(caller.requiredTenant());
				return EntryReplies.entry(reply, 2);
			});
	}

	/**
	 * {@code If-None-Match: *}: creates the entry, or fails with 412 when it exists. With
	 * an {@code If-Match} as well, one of the two fails whatever the entry's state.
	 */
	private Mono<Entry> createOnly(Caller caller, EntryUpdate update, Preconditions conditions) {
		if (conditions.ifMatch() != null) {
			return Mono.error(new ApiException.PreconditionFailed("If-Match and If-None-Match: * cannot both hold"));
		}
		if (update.value() == null) {
			return Mono.error(new ApiException.Invalid("value is required to create a key (If-None-Match: *)"));
		}
		Expiry expiry = update.expiry();
		NewEntry entry = new NewEntry(update.key(), update.value(), (expiry != null) ? expiry.ttlSeconds() : null,
				(update.tags() != null) ? update.tags() : Map.of());
		return create(caller, entry).onErrorMap(ApiException.Conflict.class,
				(taken) -> new ApiException.PreconditionFailed("key already exists: " + update.key()));
	}

	public Mono<Void> delete(Caller caller, String key) {
		return delete(caller, key, Preconditions.NONE);
	}

	/** Deletes an entry if the request's conditions hold for it (412 otherwise). */
	public Mono<Void> delete(Caller caller, String key, Preconditions conditions) {
		EntryScripts.mayWrite(caller);
		String checked = this.scripts.checkedKey(caller, key);
		return this.scripts
			.run(DELETE, caller, entry(caller, checked), checked, conditions.ifMatchArgument(),
					conditions.ifNoneMatchArgument())
			.doOnNext((reply) -> this.afterAudit.accept(caller.requiredTenant()))
			.then();
	}

	/**
	 * The entries of many keys in one round trip, in the order given, and the keys that
	 * hold none. An answer that reaches {@code MAX_PAGE_BYTES} leaves the rest unread.
	 */
	public Mono<BulkRead> findMany(Caller caller, KeyBatch batch) {
		List<String> keys = batch.keys().stream().map((key) -> this.scripts.checkedKey(caller, key)).toList();
		List<String> args = new ArrayList<>(1 + keys.size());
		args.add(Integer.toString(this.settings.maxPageBytes()));
		args.addAll(keys);
		return this.scripts.execute(GET_MANY, caller, EntryScripts.entries(caller, keys), args.toArray(String[]::new))
			.map(EntryReplies::bulkRead);
	}

	/**
	 * Deletes every key that holds an entry, each audited, all in one atomic step; or
	 * none (412) when a key is not at the version the batch gives for it.
	 */
	public Mono<BulkDeletion> deleteMany(Caller caller, KeyBatch batch) {
		EntryScripts.mayWrite(caller);
		List<String> args = new ArrayList<>(2 * batch.keys().size());
		List<String> named = new ArrayList<>(batch.keys().size());
		for (String key : batch.keys()) {
			String checked = this.scripts.checkedKey(caller, key);
			args.add(checked);
			Long version = batch.versions().get(key);
			args.add((version != null) ? version.toString() : "");
			named.add(RedisKeys.entry(caller.requiredTenant(), checked));
		}
		return this.scripts.execute(DELETE_MANY, caller, named, args.toArray(String[]::new)).map((reply) -> {
			if ("failed".equals(reply.getFirst())) {
				throw new ApiException.PreconditionFailed("key " + reply.get(1) + " is not at version "
						+ batch.versions().get(reply.get(1)) + " (nothing was deleted)");
			}
			BulkDeletion deletion = EntryReplies.bulkDeletion(reply);
			if (!deletion.deleted().isEmpty()) {
				this.afterAudit.accept(caller.requiredTenant());
			}
			return deletion;
		});
	}

	public Mono<EntryPage> page(Caller caller, PageQuery query) {
		if (caller.grant() != null && !caller.grant().prefix().isEmpty()) {
			return Mono.error(new ApiException.Forbidden(
					"an API key with a prefix lists by prefix: ?prefix=" + caller.grant().prefix()));
		}
		return this.scripts
			.run(PAGE, caller, listed(caller, query), query.tagName(), query.tagValue(),
					Long.toString(query.firstRank()), Long.toString(query.lastRank()),
					Integer.toString(this.settings.maxPageBytes()), query.keysOnly() ? "1" : "0")
			.map((reply) -> {
				if (!"0".equals(reply.get(3))) {
					this.afterAudit.accept(caller.requiredTenant());
				}
				return EntryReplies.page(reply, query);
			});
	}

	/**
	 * One page of a walk by key, from just after {@code after} ({@code ""} to start); the
	 * page's last key, to go on after, is {@code null} when the walk is done.
	 */
	public Mono<Walked> walk(Caller caller, PageQuery query, String after) {
		String prefix = this.scripts.listedPrefix(caller, query.prefix());
		if (!after.isEmpty() && !after.startsWith(prefix)) {
			// A cursor of a wider listing (the account's own, to an API key's prefix):
			// from the prefix's start if it is still ahead, else nothing is left.
			if (EntryScripts.sortsAfter(after, prefix)) {
				return Mono.just(new Walked(List.of(), null));
			}
			after = "";
		}
		return this.scripts
			.run(WALK, caller, listed(caller, query), query.tagName(), query.tagValue(), prefix, after,
					Integer.toString(query.walkLimit()), Integer.toString(this.settings.maxPageBytes()),
					query.keysOnly() ? "1" : "0")
			.map((reply) -> new Walked(EntryReplies.entries(reply, 3, query.keysOnly()),
					reply.get(2).isEmpty() ? null : reply.get(2)));
	}

	/**
	 * The index a listing reads, when it is a tag's (every key's is the tenant's own).
	 */
	private static List<String> listed(Caller caller, PageQuery query) {
		return query.tagName().isEmpty() ? List.of()
				: List.of(RedisKeys.tagIndex(caller.requiredTenant(), query.tagName(), query.tagValue()));
	}

	private static List<String> entry(Caller caller, String key) {
		return List.of(RedisKeys.entry(caller.requiredTenant(), key));
	}

	/** A page of a walk, and the key to go on after ({@code null}: the walk is done). */
	public record Walked(List<Entry> items, String lastKey) {
	}

	public Mono<Long> count(Caller caller) {
		return count(caller, "");
	}

	/** The live entries whose keys start with {@code prefix} ({@code ""}: all). */
	public Mono<Long> count(Caller caller, String wanted) {
		String prefix = this.scripts.listedPrefix(caller, wanted);
		return this.scripts.run(COUNT, caller, List.of(), prefix).map((reply) -> {
			if (!prefix.isEmpty()) {
				this.afterAudit.accept(caller.requiredTenant());
			}
			return Long.parseLong(reply.get(1));
		});
	}

}
