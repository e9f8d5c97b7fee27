package dev.kvstore.kv;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import reactor.core.publisher.Flux;

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
			@JsonInclude(JsonInclude.Include.NON_NULL) Long nextOffset) implements Listing {
	}

	/**
	 * One page of a walk by key.
	 *
	 * @param nextCursor what to send as {@code cursor} for the next page; {@code null} on
	 * the last
	 */
	public record CursorPage(List<Entry> items,
			@JsonInclude(JsonInclude.Include.ALWAYS) String nextCursor) implements Listing {
	}

	/** What a listing answers: a numbered page, or a page of a walk. */
	public sealed interface Listing permits EntryPage, CursorPage {

	}

	public record Created(int created, int total, List<Entry> items) {
	}

	/**
	 * @param items the entries found, in the order asked
	 * @param missing the keys that hold no entry
	 * @param unread the keys not read because the answer reached its size in bytes
	 * ({@code MAX_PAGE_BYTES}); absent when every key was read
	 */
	public record BulkRead(List<Entry> items, List<String> missing,
			@JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> unread) {
	}

	public record BulkDeletion(List<String> deleted, List<String> missing) {
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

	/**
	 * A watch's changes as they come, and the longest it may stay silent (a heartbeat
	 * then): the edge writes them as an event stream.
	 */
	public record ChangeStream(Flux<Change> changes, Duration heartbeat) {
	}

}
