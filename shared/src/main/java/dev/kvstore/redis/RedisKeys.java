package dev.kvstore.redis;

import java.util.Locale;
import java.util.Objects;

import io.lettuce.core.cluster.SlotHash;

import dev.kvstore.tenant.TenantId;

/**
 * Owns the key scheme. Every key of a tenant starts with {@code kv:{tenantId}:}, so all
 * of them share one cluster slot and one script can change an entry and its indexes
 * together:
 *
 * <pre>
 * kv:{T}:user               hash  the account (username, email, password hash, active, created)
 * kv:{T}:e:&lt;key&gt;            hash  one entry: value, version, tags, ttl, created, updated, expires,
 *                                 cost (against the byte quota), rev (its last write's audit event id)
 * kv:{T}:keys               zset  every entry's key, score 0: ordered by key, paged by rank
 * kv:{T}:expiry             zset  keys that expire, scored by expiry time (ms)
 * kv:{T}:tag:&lt;name&gt;:&lt;value&gt; zset  keys carrying that tag, score 0 (tag names cannot contain ':')
 * kv:{T}:refresh            zset  live session families, scored by their refresh token's expiry (ms)
 * kv:{T}:refresh:current    hash  each family's one live refresh token id
 * kv:{T}:refresh:last:&lt;f&gt;   string family f's last rotation (the token replaced, the pair after it),
 *                                 for the grace window only
 * kv:{T}:apikeys            hash  the tenant's API keys: id to its secret's SHA-256, scopes, prefix, times
 * kv:{T}:outbox             stream audit events not yet relayed, written atomically with their change
 * kv:{&lt;s&gt;}:outboxes       set   the tenants of cluster slot s whose outboxes may hold events: the
 *                                 hash tag &lt;s&gt; lies in that slot, so whatever writes or empties an
 *                                 outbox updates its index in the same step; the relay's start-up
 *                                 sweep reads these 16384 sets, never the keyspace
 * kv:{audit}:outboxes-indexed string set once every outbox that held events was indexed
 * kv:{T}:watched            hash  while the tenant is watched: since (where its change stream began),
 *                                 keep (how many changes it keeps), dropped (the newest it dropped)
 * kv:{T}:changes            stream the watched tenant's latest changes to entries, by their outbox ids
 * kv:{T}:watches            zset  open watches' ids, scored by when their lease ends (ms)
 * kv:{T}:audit              zset  the audit log: "&lt;time&gt;|&lt;event id&gt;", score 0, newest last
 * kv:{T}:audit:events       hash  the audit log's events as JSON, by the same member
 * kv:{expiry}:tenants       zset  tenants with expiring entries, scored by the earliest expiry (ms)
 * kv:{audit}:pending        set   tenants whose outbox could not be relayed yet (broker down)
 * kv:{purge}:tenants        zset  deleted accounts whose data the cleanup still removes, by deletion time
 * kv:{accounts}:name:&lt;u&gt;    string  username (lower case) to tenant id
 * kv:{accounts}:email:&lt;e&gt;   string  email (lower case) to tenant id
 * kv:{login:user:&lt;u&gt;:from:&lt;a&gt;}:attempts  string  password checks for a username (lower case) from
 *                                 a client address not yet succeeded, per window
 * kv:{login:user:&lt;u&gt;}:attempts  string  password checks for a username from any address, per window
 * kv:{login:user:&lt;u&gt;}:addresses set   addresses the username logged in from (30 days)
 * kv:{login:addr:&lt;a&gt;}:attempts  string  failed logins from a client address, per window
 * kv:{register:addr:&lt;a&gt;}:attempts string registrations from a client address, per window
 * </pre>
 *
 * Counters of abuse each carry their own hash tag, so on a cluster they spread over the
 * slots instead of making one hot.
 *
 * Entries live under {@code e:}, a prefix nothing else uses, so no user key, whatever its
 * bytes, can name the account, an index or another entry. The scripts derive the index
 * names from the tenant prefix with the same suffixes ({@code entries.lua}).
 */
public final class RedisKeys {

	private RedisKeys() {
	}

	/** The prefix of every key a tenant owns; scripts take it as their first argument. */
	public static String tenant(TenantId tenant) {
		return "kv:{" + tenant + "}:";
	}

	public static String account(TenantId tenant) {
		return tenant(tenant) + "user";
	}

	public static String entry(TenantId tenant, String key) {
		return tenant(tenant) + "e:" + key;
	}

	/**
	 * The index of the tenant's entries that carry tag {@code name} with {@code value}.
	 */
	public static String tagIndex(TenantId tenant, String name, String value) {
		return tenant(tenant) + "tag:" + name + ":" + value;
	}

	/** Every key of a tenant's entries, in key order. */
	public static String keyIndex(TenantId tenant) {
		return tenant(tenant) + "keys";
	}

	/** The tenant's operations in the current second, against its rate limit. */
	public static String rate(TenantId tenant) {
		return tenant(tenant) + "rate";
	}

	/** While the tenant is watched: where its change stream began, what it keeps. */
	public static String watched(TenantId tenant) {
		return tenant(tenant) + "watched";
	}

	/** The watched tenant's latest changes to entries. */
	public static String changes(TenantId tenant) {
		return tenant(tenant) + "changes";
	}

	/** The tenant's open watches, scored by when their lease ends. */
	public static String watches(TenantId tenant) {
		return tenant(tenant) + "watches";
	}

	public static String sessionFamilies(TenantId tenant) {
		return tenant(tenant) + "refresh";
	}

	/** A session family's last rotation, kept for the refresh grace window. */
	public static String lastRotation(TenantId tenant, String family) {
		return sessionFamilies(tenant) + ":last:" + family;
	}

	public static String currentRefreshTokens(TenantId tenant) {
		return tenant(tenant) + "refresh:current";
	}

	/** A tenant's API keys: id to the key's hash and grant (dev.kvstore.auth.ApiKeys). */
	public static String apiKeys(TenantId tenant) {
		return tenant(tenant) + "apikeys";
	}

	public static String outbox(TenantId tenant) {
		return tenant(tenant) + "outbox";
	}

	/** The index of outboxes holding events that has the tenant's outbox: in its slot. */
	public static String outboxIndex(TenantId tenant) {
		return outboxIndexOfSlot(SlotHash.getSlot(tenant(tenant)));
	}

	/** The index of outboxes holding events of the tenants of one cluster slot. */
	public static String outboxIndexOfSlot(int slot) {
		return "kv:{" + SlotTags.TAGS[slot] + "}:outboxes";
	}

	/**
	 * Builds the slot tags now (about 30 ms on a cold JVM), so that the first write does
	 * not: the audit relay calls it as its thread starts.
	 */
	public static void prepareSlotTags() {
		Objects.requireNonNull(SlotTags.TAGS);
	}

	/** Set once the outboxes written before the index existed have been indexed. */
	public static String outboxesIndexed() {
		return "kv:{audit}:outboxes-indexed";
	}

	/**
	 * For each of the 16384 cluster slots a short hash tag that lies in it (base 36
	 * counting, the first that hashes there): about 160,000 CRC16s of a few bytes, once.
	 */
	private static final class SlotTags {

		static final String[] TAGS = new String[SlotHash.SLOT_COUNT];

		static {
			int found = 0;
			for (int i = 0; found < TAGS.length; i++) {
				String tag = Integer.toString(i, 36);
				int slot = SlotHash.getSlot(tag);
				if (TAGS[slot] == null) {
					TAGS[slot] = tag;
					found++;
				}
			}
		}

	}

	public static String auditLog(TenantId tenant) {
		return tenant(tenant) + "audit";
	}

	public static String auditEvents(TenantId tenant) {
		return tenant(tenant) + "audit:events";
	}

	/** A tenant's keys that expire, scored by their expiry time (ms). */
	public static String expiringKeys(TenantId tenant) {
		return tenant(tenant) + "expiry";
	}

	public static String expirySchedule() {
		return "kv:{expiry}:tenants";
	}

	/** Tenants whose account is deleted and whose data the cleanup still removes. */
	public static String purgeQueue() {
		return "kv:{purge}:tenants";
	}

	public static String pendingOutboxes() {
		return "kv:{audit}:pending";
	}

	/** Matches every tenant's outbox, for the relay's sweep after a restart. */
	public static String anyOutbox() {
		return "kv:{*}:outbox";
	}

	public static String username(String username) {
		return "kv:{accounts}:name:" + username.toLowerCase(Locale.ROOT);
	}

	public static String email(String email) {
		return "kv:{accounts}:email:" + email.toLowerCase(Locale.ROOT);
	}

	/** Failed password checks for one username from one client address (may be empty). */
	public static String loginAttemptsOfUser(String username, String address) {
		return "kv:{login:user:" + username.toLowerCase(Locale.ROOT) + ":from:" + address + "}:attempts";
	}

	/** Failed password checks for one username from any address. */
	public static String loginAttemptsOfUser(String username) {
		return "kv:{login:user:" + username.toLowerCase(Locale.ROOT) + "}:attempts";
	}

	/**
	 * The addresses a username logged in from, which its ceiling over all addresses
	 * spares.
	 */
	public static String loginAddressesOfUser(String username) {
		return "kv:{login:user:" + username.toLowerCase(Locale.ROOT) + "}:addresses";
	}

	public static String loginAttemptsFrom(String address) {
		return "kv:{login:addr:" + address + "}:attempts";
	}

	public static String registrationsFrom(String address) {
		return "kv:{register:addr:" + address + "}:attempts";
	}

}
