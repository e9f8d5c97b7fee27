package dev.kvstore.kv;

import java.util.Map;

import tools.jackson.databind.JsonNode;

import dev.kvstore.problem.ApiException;

/**
 * A key to create: {@code {"key": "...", "value": <any JSON>, "ttl": 3600, "tags":
 * {...}}}.
 *
 * @param key 1 to MAX_KEY_SIZE characters, any of them
 * @param value any JSON value, {@code null} included; required
 * @param ttl seconds until it expires, or {@code null} for never
 * @param tags up to 32 name/value pairs
 */
public record NewEntry(String key, JsonNode value, Long ttl, Map<String, String> tags) {

	public NewEntry {
		key = Rules.key(key);
		if (value == null) {
			throw new ApiException.Invalid("value is required (it may be JSON null)");
		}
		ttl = Rules.ttl(ttl);
		tags = Rules.tags(tags);
	}

}
