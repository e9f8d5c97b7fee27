package dev.kvstore.problem;

import java.util.List;

/**
 * A failure a client can act on. Each subtype is one problem type with a fixed status and
 * title; {@link Problem#of(ApiException)} is the single place that turns it into
 * problem+json.
 */
public abstract sealed class ApiException extends RuntimeException {

	private final List<String> keys;

	ApiException(String detail, List<String> keys) {
		super(detail, null, false, false);
		this.keys = List.copyOf(keys);
	}

	/** The keys the problem is about (batch conflicts, duplicates); empty when none. */
	public List<String> keys() {
		return this.keys;
	}

	/** The request body is not JSON, or not the JSON shape the endpoint takes. */
	public static final class Malformed extends ApiException {

		public Malformed(String detail) {
			super(detail, List.of());
		}

	}

	/** Well-formed, but a field breaks a rule. */
	public static final class Invalid extends ApiException {

		public Invalid(String detail) {
			super(detail, List.of());
		}

		public Invalid(String detail, List<String> keys) {
			super(detail, keys);
		}

	}

	public static final class NotFound extends ApiException {

		public NotFound(String detail) {
			super(detail, List.of());
		}

	}

	public static final class Conflict extends ApiException {

		public Conflict(String detail) {
			super(detail, List.of());
		}

		public Conflict(String detail, List<String> keys) {
			super(detail, keys);
		}

	}

	/** Missing, malformed, expired or revoked credentials. */
	public static final class Unauthorized extends ApiException {

		public Unauthorized(String detail) {
			super(detail, List.of());
		}

	}

	public static final class TooLarge extends ApiException {

		public TooLarge(String detail) {
			super(detail, List.of());
		}

		/** A request body over the edge's cap, refused before it is read whole. */
		public static TooLarge requestBody(int maxBytes) {
			return new TooLarge("the request body must be at most " + maxBytes + " bytes");
		}

	}

	/** No route for the path. */
	public static final class NoRoute extends ApiException {

		public NoRoute(String detail) {
			super(detail, List.of());
		}

	}

	/** The path exists, but not with this method. */
	public static final class MethodNotAllowed extends ApiException {

		private final String allow;

		public MethodNotAllowed(String detail, String allow) {
			super(detail, List.of());
			this.allow = allow;
		}

		/** The value of the {@code Allow} header. */
		public String allow() {
			return this.allow;
		}

	}

	/** A dependency (Redis) cannot be reached; the client may retry. */
	public static final class Unavailable extends ApiException {

		public Unavailable(String detail) {
			super(detail, List.of());
		}

	}

}
