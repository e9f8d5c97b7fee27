package dev.kvstore.problem;

import java.time.Duration;
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

	/**
	 * A conditional request's {@code If-Match} or {@code If-None-Match} does not hold:
	 * nothing was written.
	 */
	public static final class PreconditionFailed extends ApiException {

		public PreconditionFailed(String detail) {
			super(detail, List.of());
		}

	}

	/**
	 * A watch cannot resume after the position asked for: changes after it are no longer
	 * kept. The client reads the current state again and watches from now.
	 */
	public static final class Gone extends ApiException {

		public Gone(String detail) {
			super(detail, List.of());
		}

	}

	/** The client accepts none of the media types the route answers with. */
	public static final class NotAcceptable extends ApiException {

		public NotAcceptable(String detail) {
			super(detail, List.of());
		}

	}

	/** The caller is known but may not do this. */
	public static final class Forbidden extends ApiException {

		public Forbidden(String detail) {
			super(detail, List.of());
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

	/** The request did not arrive whole within the server's deadline. */
	public static final class TimedOut extends ApiException {

		public TimedOut(String detail) {
			super(detail, List.of());
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
	public static final class Unavailable extends ApiException implements Retryable {

		public Unavailable(String detail) {
			super(detail, List.of());
		}

		@Override
		public long retryAfterSeconds() {
			return 1;
		}

	}

	/**
	 * Too many requests (or failed logins) within a window; the client may retry later.
	 */
	public static final class RateLimited extends ApiException implements Retryable, Limited {

		private final String limit;

		private final long retryAfterSeconds;

		/**
		 * @param limit the name of the limit hit, as the problem's {@code limit} member
		 * @param windowLeft how long until the limit's window ends; told to the client in
		 * whole seconds, rounded up, at least 1
		 */
		public RateLimited(String detail, String limit, Duration windowLeft) {
			super(detail, List.of());
			this.limit = limit;
			this.retryAfterSeconds = Math.max(1, (windowLeft.toMillis() + 999) / 1000);
		}

		@Override
		public String limit() {
			return this.limit;
		}

		@Override
		public long retryAfterSeconds() {
			return this.retryAfterSeconds;
		}

	}

	/** A write would take the tenant past one of its quotas; nothing was written. */
	public static final class QuotaExceeded extends ApiException implements Limited {

		private final String limit;

		/**
		 * @param limit the name of the quota, as the problem's {@code limit} member
		 */
		public QuotaExceeded(String detail, String limit) {
			super(detail, List.of());
			this.limit = limit;
		}

		@Override
		public String limit() {
			return this.limit;
		}

	}

	/** A failure the client may retry after a while ({@code Retry-After}). */
	public interface Retryable {

		long retryAfterSeconds();

	}

	/** A failure caused by a configured limit, which the problem names. */
	public interface Limited {

		String limit();

	}

}
