package dev.kvstore.audit;

import dev.kvstore.problem.ApiException;

/**
 * {@code ?limit=50&before=<cursor>}: a page of the caller's audit log, newest first.
 */
public record AuditQuery(Integer limit, String before) {

	public static final int MAX_LIMIT = 500;

	public AuditQuery {
		limit = (limit != null) ? limit : 50;
		if (limit < 1 || limit > MAX_LIMIT) {
			throw new ApiException.Invalid("limit must be from 1 to " + MAX_LIMIT);
		}
		if (before != null && (before.isEmpty() || before.length() > 400)) {
			throw new ApiException.Invalid("before must be a cursor returned as next by this endpoint");
		}
	}

}
