package dev.kvstore.kv;

import dev.kvstore.json.ApiJson;
import dev.kvstore.problem.ApiException;

/**
 * {@code ?prefix=p}: count the live keys that start with {@code prefix}; all of them
 * without one.
 */
public record CountQuery(String prefix) {

	public CountQuery {
		prefix = (prefix != null) ? prefix : "";
		if (!ApiJson.isWellFormed(prefix) || prefix.indexOf('\u0000') >= 0) {
			throw new ApiException.Invalid("prefix must be valid Unicode text without U+0000");
		}
	}

}
