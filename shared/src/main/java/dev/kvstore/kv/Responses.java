package dev.kvstore.kv;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The small answers of the key endpoints.
 */
public final class Responses {

	private Responses() {
	}

	/**
	 * @param nextOffset where the next page starts, when this one stopped short of its
	 * size because of its size in bytes ({@code MAX_PAGE_BYTES}); absent otherwise
	 */
	public record EntryPage(List<Entry> items, int page, int pageSize, long total,
			@JsonInclude(JsonInclude.Include.NON_NULL) Long nextOffset) {
	}

	public record Created(int created, int total, List<Entry> items) {
	}

	public record Deleted(String message) {

		public static final Deleted INSTANCE = new Deleted("Key deleted successfully");

	}

	public record Existence(boolean exists) {
	}

	/** Seconds left before the entry expires, {@code null} when it never does. */
	public record TimeToLive(Long ttl) {
	}

	public record Count(long count) {
	}

}
