package dev.kvstore.problem;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem detail, as served with {@code application/problem+json}.
 * {@code type} and {@code title} are fixed per problem type; {@code detail} is for
 * humans; {@code keys} names the keys a batch problem is about; {@code limit} names the
 * rate limit or quota a 429 or 403 is about.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, List<String> keys, String limit) {

	public static final String MEDIA_TYPE = "application/problem+json";

	private static final String TYPE_BASE = "https://kvstore.dev/problems/";

	public static Problem of(ApiException failure) {
		return switch (failure) {
			case ApiException.Malformed e -> of(e, "malformed-request", "Malformed request", 400);
			case ApiException.Invalid e -> of(e, "invalid-input", "Invalid input", 422);
			case ApiException.NotFound e -> of(e, "not-found", "Not found", 404);
			case ApiException.Conflict e -> of(e, "conflict", "Conflict", 409);
			case ApiException.PreconditionFailed e -> of(e, "precondition-failed", "Precondition failed", 412);
			case ApiException.Unauthorized e -> of(e, "unauthorized", "Unauthorized", 401);
			case ApiException.Forbidden e -> of(e, "forbidden", "Forbidden", 403);
			case ApiException.Gone e -> of(e, "gone", "Gone", 410);
			case ApiException.NotAcceptable e -> of(e, "not-acceptable", "Not acceptable", 406);
			case ApiException.TooLarge e -> of(e, "too-large", "Payload too large", 413);
			case ApiException.TimedOut e -> of(e, "request-timeout", "Request timeout", 408);
			case ApiException.NoRoute e -> of(e, "no-route", "No such endpoint", 404);
			case ApiException.MethodNotAllowed e -> of(e, "method-not-allowed", "Method not allowed", 405);
			case ApiException.Unavailable e -> of(e, "unavailable", "Service unavailable", 503);
			case ApiException.RateLimited e -> of(e, "rate-limited", "Too many requests", 429);
			case ApiException.QuotaExceeded e -> of(e, "quota-exceeded", "Quota exceeded", 403);
		};
	}

	/**
	 * The answer to a failure nobody foresaw: no class name, no message, no stack trace.
	 */
	public static Problem internal() {
		return new Problem(TYPE_BASE + "internal", "Internal error", 500,
				"The request could not be completed; it has been logged.", List.of(), null);
	}

	/**
	 * What the web server answers itself for a method or HTTP version it does not
	 * implement (501, 505).
	 */
	public static Problem notSupported(int status) {
		return new Problem(TYPE_BASE + "not-supported", "Not supported", status,
				"this server does not support the request's method or HTTP version", List.of(), null);
	}

	private static Problem of(ApiException failure, String slug, String title, int status) {
		return new Problem(TYPE_BASE + slug, title, status, failure.getMessage(), failure.keys(),
				(failure instanceof ApiException.Limited limited) ? limited.limit() : null);
	}

}
