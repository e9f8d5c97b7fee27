package dev.kvstore.kv;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;

/**
 * An entry as the API returns it. {@code value} is the stored JSON text, written out
 * unchanged; {@code null} (left out of the answer) in a keys-only listing.
 */
public record Entry(String key, @JsonRawValue @JsonInclude(JsonInclude.Include.NON_NULL) String value,
		Metadata metadata) {

	/**
	 * @param ttl the TTL in seconds as last set, or {@code null} when the entry never
	 * expires
	 * @param expiresAt when it expires, or {@code null}
	 */
	@JsonInclude(JsonInclude.Include.ALWAYS)
	public record Metadata(long version, Long ttl, Map<String, String> tags, Instant createdAt, Instant updatedAt,
			Instant expiresAt) {
	}

}
