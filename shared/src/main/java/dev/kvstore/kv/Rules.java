package dev.kvstore.kv;

import java.util.Map;

import dev.kvstore.json.ApiJson;
import dev.kvstore.problem.ApiException;

/**
 * The rules a key, a TTL and tags follow wherever they arrive.
 */
final class Rules {

	static final int MAX_TAGS = 32;

	static final int MAX_TAG_LENGTH = 128;

	/** Ten years: long enough for anyone, short enough that expiry times stay exact. */
	static final long MAX_TTL_SECONDS = 315_360_000L;

	private Rules() {
	}

	static String key(String key) {
		if (key == null || key.isEmpty()) {
			throw new ApiException.Invalid("key is required and cannot be empty");
		}
		if (!ApiJson.isWellFormed(key)) {
			throw new ApiException.Invalid("key must be valid Unicode text");
		}
		if (key.indexOf('\u0000') >= 0) {
			// No HTTP path can carry it (servers refuse %00): such a key could never be
			// read or deleted.
			throw new ApiException.Invalid("key cannot contain U+0000");
		}
		return key;
	}

	/** A key prefix to list or count by: any text a key may start with, or none. */
	static String prefix(String prefix) {
		if (prefix != null && (!ApiJson.isWellFormed(prefix) || prefix.indexOf('\u0000') >= 0)) {
			throw new ApiException.Invalid("prefix must be valid Unicode text without U+0000");
		}
		return prefix;
	}

	static Long ttl(Long ttl) {
		if (ttl != null && (ttl < 1 || ttl > MAX_TTL_SECONDS)) {
			throw new ApiException.Invalid("ttl must be a whole number of seconds from 1 to " + MAX_TTL_SECONDS);
		}
		return ttl;
	}

	static Map<String, String> tags(Map<String, String> tags) {
		if (tags == null) {
			return Map.of();
		}
		if (tags.size() > MAX_TAGS) {
			throw new ApiException.Invalid("at most " + MAX_TAGS + " tags are allowed, got " + tags.size());
		}
		tags.forEach((name, value) -> {
			if (name.isEmpty() || name.length() > MAX_TAG_LENGTH || name.indexOf(':') >= 0
					|| !ApiJson.isWellFormed(name)) {
				throw new ApiException.Invalid("tag names must be 1 to " + MAX_TAG_LENGTH + " characters without ':'");
			}
			if (value == null || value.length() > MAX_TAG_LENGTH || !ApiJson.isWellFormed(value)) {
				throw new ApiException.Invalid("tag values must be text of at most " + MAX_TAG_LENGTH + " characters");
			}
		});
		return Map.copyOf(tags);
	}

}
