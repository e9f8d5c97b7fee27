package dev.kvstore.kv;

import java.util.Map;

import tools.jackson.core.type.TypeReference;

/**
 * When an entry expires: {@code ttlSeconds} after its last write, or never
 * ({@code null}).
 */
public record Expiry(Long ttlSeconds) {

	public static final Expiry NEVER = new Expiry(null);

	static final TypeReference<Map<String, String>> TAGS = new TypeReference<>() {
	};

}
