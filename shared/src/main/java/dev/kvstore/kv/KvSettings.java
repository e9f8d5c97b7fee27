package dev.kvstore.kv;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Limits on what a tenant may store, from MAX_KEY_SIZE and MAX_VALUE_SIZE.
 *
 * @param maxKeySize the longest key, in characters
 * @param maxValueSize the largest value, in bytes of its JSON text
 */
@ConfigurationProperties("kvstore.kv")
public record KvSettings(int maxKeySize, int maxValueSize) {

	/** Room in a request body for the key, TTL, tags and JSON around the value. */
	private static final int ENVELOPE_BYTES = 64 * 1024;

	public static final KvSettings DEFAULTS = new KvSettings(256, 2 * 1024 * 1024);

	public KvSettings {
		if (maxKeySize < 1 || maxKeySize > 4096) {
			throw new IllegalArgumentException("MAX_KEY_SIZE must be between 1 and 4096, was " + maxKeySize);
		}
		if (maxValueSize < 1 || maxValueSize > 64 * 1024 * 1024) {
			throw new IllegalArgumentException("MAX_VALUE_SIZE must be between 1 and 67108864, was " + maxValueSize);
		}
	}

	/**
	 * The largest request body read, in bytes: one value at its limit and its envelope.
	 */
	public int maxRequestSize() {
		return this.maxValueSize + ENVELOPE_BYTES;
	}

}
