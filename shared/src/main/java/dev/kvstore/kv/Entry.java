package dev.kvstore.kv;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;

/**
 * An entry as the API returns it. {@code value} is the stored JSON text, written out
 * unchanged; {@code null} (left out of the answer) in a keys-only listing. {@code etag}
 * names the entry's last write, unique for good within the tenant (RFC 9110 section
 * 8.8.3, without its quotes): an answer about one entry carries it as its {@code ETag}
 * header, never in its body.
 */
public record Entry(String key, @JsonRawValue @JsonInclude(JsonInclude.Include.NON_NULL) String value,
		Metadata metadata, @JsonIgnore String etag) {

	/** The {@code ETag} header's value: the tag, strong, quoted. */
	public String etagHeader() {
		return '"' + this.etag + '"';
	}

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
