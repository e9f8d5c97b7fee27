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

	public static Problem of(ApiException failure) {
		return of(failure, switch (failure) {
			case ApiException.Malformed e -> ProblemType.MALFORMED_REQUEST;
			case ApiException.Invalid e -> ProblemType.INVALID_INPUT;
			case ApiException.NotFound e -> ProblemType.NOT_FOUND;
			case ApiException.Conflict e -> ProblemType.CONFLICT;
			case ApiException.PreconditionFailed e -> ProblemType.PRECONDITION_FAILED;
			case ApiException.Unauthorized e -> ProblemType.UNAUTHORIZED;
			case ApiException.Forbidden e -> ProblemType.FORBIDDEN;
			case ApiException.Gone e -> ProblemType.GONE;
			case ApiException.NotAcceptable e -> ProblemType.NOT_ACCEPTABLE;
			case ApiException.TooLarge e -> ProblemType.TOO_LARGE;
			case ApiException.TimedOut e -> ProblemType.REQUEST_TIMEOUT;
			case ApiException.NoRoute e -> ProblemType.NO_ROUTE;
			case ApiException.MethodNotAllowed e -> ProblemType.METHOD_NOT_ALLOWED;
			case ApiException.Unavailable e -> ProblemType.UNAVAILABLE;
			case ApiException.RateLimited e -> ProblemType.RATE_LIMITED;
			case ApiException.QuotaExceeded e -> ProblemType.QUOTA_EXCEEDED;
		});
	}

	/**
	 * The answer to a failure nobody foresaw: no class name, no message, no stack trace.
	 */
	public static Problem internal() {
		return new Problem(ProblemType.INTERNAL.uri(), ProblemType.INTERNAL.title(), ProblemType.INTERNAL.status(),
				"The request could not be completed; it has been logged.", List.of(), null);
	}

	/**
	 * What the web server answers itself for a method or HTTP version it does not
	 * implement (501, 505).
	 */
	public static Problem notSupported(int status) {
		return new Problem(ProblemType.NOT_SUPPORTED.uri(), ProblemType.NOT_SUPPORTED.title(), status,
				"this server does not support the request's method or HTTP version", List.of(), null);
	}

	private static Problem of(ApiException failure, ProblemType type) {
		return new Problem(type.uri(), type.title(), type.status(), failure.getMessage(), failure.keys(),
				(failure instanceof ApiException.Limited limited) ? limited.limit() : null);
	}

}
