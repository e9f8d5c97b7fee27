package dev.kvstore.kv;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonCreator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.kvstore.json.ApiJson;
import dev.kvstore.problem.ApiException;

/**
 * A change to an entry; a field left out keeps its value. {@code "ttl": null} removes the
 * expiry, {@code "tags": null} or {@code {}} removes the tags, {@code "value": null}
 * stores JSON null.
 *
 * @param key the entry, from the path
 * @param value the new value, or {@code null} to keep it
 * @param expiry the new expiry, or {@code null} to keep it
 * @param tags the new tags, or {@code null} to keep them
 */
public record EntryUpdate(String key, JsonNode value, Expiry expiry, Map<String, String> tags) {

	public EntryUpdate {
		key = Rules.key(key);
		tags = (tags != null) ? Rules.tags(tags) : null;
	}

	/**
	 * Reads the body as a tree, because a field that is absent and one that is null mean
	 * different things.
	 */
	@JsonCreator(mode = JsonCreator.Mode.DELEGATING)
	static EntryUpdate fromJson(ObjectNode body) {
		JsonNode key = body.get("key");
		if (key != null && !key.isString()) {
			throw new ApiException.Invalid("key must be a string");
		}
		return new EntryUpdate((key != null) ? key.asString() : null, body.get("value"), expiry(body.get("ttl")),
				tags(body.get("tags")));
	}

	private static Expiry expiry(JsonNode ttl) {
		if (ttl == null) {
			return null;
		}
		if (ttl.isNull()) {
			return Expiry.NEVER;
		}
		if (!ttl.isIntegralNumber() || !ttl.canConvertToLong()) {
			throw new ApiException.Invalid("ttl must be a whole number of seconds, or null for no expiry");
		}
		return new Expiry(Rules.ttl(ttl.longValue()));
	}

	private static Map<String, String> tags(JsonNode tags) {
		if (tags == null) {
			return null;
		}
		if (tags.isNull()) {
			return Map.of();
		}
		if (!tags.isObject() || tags.valueStream().anyMatch((value) -> !value.isString())) {
			throw new ApiException.Invalid("tags must be an object of string values");
		}
		return ApiJson.mapper().convertValue(tags, Expiry.TAGS);
	}

}
