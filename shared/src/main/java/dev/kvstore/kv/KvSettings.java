package dev.kvstore.kv;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits on what a tenant may store and how fast it may ask: MAX_KEY_SIZE and
 * MAX_VALUE_SIZE per entry; TENANT_MAX_KEYS, TENANT_MAX_BYTES and TENANT_OPS_PER_SECOND
 * per tenant (0 turns a tenant limit off).
 *
 * @param maxKeySize the longest key, in characters
 * @param maxValueSize the largest value, in bytes of its JSON text
 * @param maxKeys the most entries a tenant may hold
 * @param maxBytes the most bytes a tenant's entries may cost in all: values and tags as
 * stored, each key once per place that holds it, and a fixed share per entry
 * ({@code entries.lua})
 * @param opsPerSecond the most key operations a tenant may make per second, over all app
 * instances
 * @param maxPageBytes about the most bytes of entries one list page answers
 * (MAX_PAGE_BYTES): a page stops short of its size there and says where the next one
 * starts; one entry is always answered, however big
 */
@ConfigurationProperties("kvstore.kv")
public record KvSettings(int maxKeySize, int maxValueSize, long maxKeys, long maxBytes, int opsPerSecond,
		@DefaultValue("" + DEFAULT_MAX_PAGE_BYTES) int maxPageBytes) {

	/** Under the 6 MB a Lambda may answer, with room for the JSON around the entries. */
	public static final int DEFAULT_MAX_PAGE_BYTES = 4 * 1024 * 1024;

	/** Room in a request body for the key, TTL, tags and JSON around the value. */
	private static final int ENVELOPE_BYTES = 64 * 1024;

	public static final KvSettings DEFAULTS = new KvSettings(256, 2 * 1024 * 1024, 1_000_000, 1024 * 1024 * 1024, 1000);

	@ConstructorBinding
	public KvSettings {
		if (maxKeySize < 1 || maxKeySize > 4096) {
			throw new IllegalArgumentException("MAX_KEY_SIZE must be between 1 and 4096, was " + maxKeySize);
		}
		if (maxValueSize < 1 || maxValueSize > 64 * 1024 * 1024) {
			throw new IllegalArgumentException("MAX_VALUE_SIZE must be between 1 and 67108864, was " + maxValueSize);
		}
		if (maxKeys < 0 || maxBytes < 0 || opsPerSecond < 0) {
			throw new IllegalArgumentException(
					"TENANT_MAX_KEYS, TENANT_MAX_BYTES and TENANT_OPS_PER_SECOND must be 0 (no limit) or positive");
		}
		if (maxPageBytes < 1024) {
			throw new IllegalArgumentException("MAX_PAGE_BYTES must be 1024 or more, was " + maxPageBytes);
		}
	}

	/** These limits with pages of the default size in bytes. */
	public KvSettings(int maxKeySize, int maxValueSize, long maxKeys, long maxBytes, int opsPerSecond) {
		this(maxKeySize, maxValueSize, maxKeys, maxBytes, opsPerSecond, DEFAULT_MAX_PAGE_BYTES);
	}

	/**
	 * The largest request body read, in bytes: one value at its limit and its envelope.
	 */
	public int maxRequestSize() {
		return this.maxValueSize + ENVELOPE_BYTES;
	}

	/** The same entry limits without any tenant limit. */
	public KvSettings withoutTenantLimits() {
		return new KvSettings(this.maxKeySize, this.maxValueSize, 0, 0, 0, this.maxPageBytes);
	}

}
