package dev.kvstore.kv;

import java.util.regex.Pattern;

import dev.kvstore.problem.ApiException;

/**
 * {@code ?prefix=p&values=true}: watch the caller's changes to keys that start with
 * {@code prefix} (all without one), with each written value when {@code values} is true.
 * {@code last_event_id} resumes after that change: the {@code Last-Event-ID} header a
 * reconnecting client sends, or the same position in the query for a first connection.
 */
public record WatchQuery(String prefix, Boolean values, String lastEventId) {

	/** A change's id: the stream id of its audit event, {@code <ms>-<seq>}. */
	private static final Pattern CHANGE_ID = Pattern.compile("\\d{1,19}-\\d{1,19}");

	public WatchQuery {
		prefix = (prefix != null) ? Rules.prefix(prefix) : "";
		values = Boolean.TRUE.equals(values);
		if (lastEventId != null && (lastEventId = lastEventId.trim()).isEmpty()) {
			lastEventId = null;
		}
		if (lastEventId != null && !CHANGE_ID.matcher(lastEventId).matches()) {
			throw new ApiException.Malformed("Last-Event-ID must be the id of a change this watch sent");
		}
	}

}
