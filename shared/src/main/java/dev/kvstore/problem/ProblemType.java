package dev.kvstore.problem;

/**
 * Every problem type the API answers with. Its {@code type} URI is a reference relative
 * to the API's own address ({@code /problems/<slug>}, RFC 9457 section 3.1.1), where the
 * app serves this documentation of it: whoever can reach the API can read what its
 * problems mean, and no domain outside the deployment is named.
 *
 * @param slug the last segment of its URI
 * @param title the fixed title of every problem of the type
 * @param status its HTTP status (the usual one, for a type that has several)
 * @param meaning what it means and what a client does about it
 */
public enum ProblemType {

	MALFORMED_REQUEST("malformed-request", "Malformed request", 400,
			"The request could not be read: the body is not JSON or not a JSON object, a header or the path is "
					+ "malformed, or the body's framing is broken. Sent again unchanged, it gets the same answer."),
	INVALID_INPUT("invalid-input", "Invalid input", 422,
			"The request was read, but a field is missing, has the wrong type or breaks a rule (a key too long, a TTL "
					+ "out of range, a repeated key in a batch); the detail names it."),
	NOT_FOUND("not-found", "Not found", 404, "The key, API key or resource the path names does not exist."),
	CONFLICT("conflict", "Conflict", 409,
			"The key (or username, or email) is already taken; keys lists the keys that exist. Nothing was written."),
	PRECONDITION_FAILED("precondition-failed", "Precondition failed", 412,
			"If-Match or If-None-Match does not hold for the key's current entity tag (or a batch's expected version "
					+ "is not the key's). Nothing was written: read the key again and decide."),
	UNAUTHORIZED("unauthorized", "Unauthorized", 401,
			"No credential, or one that is not valid: expired, revoked, tampered with, of a deleted account, or a "
					+ "login that failed. Log in (or refresh) and send the new access token."),
	FORBIDDEN("forbidden", "Forbidden", 403,
			"The credential is valid but may not do this: an API key outside its scopes or prefix, or on a route "
					+ "API keys may not call."),
	GONE("gone", "Gone", 410,
			"A live watch cannot resume after the position asked for: changes after it are no longer kept. Read the "
					+ "keys again, then watch without Last-Event-ID."),
	NOT_ACCEPTABLE("not-acceptable", "Not acceptable", 406,
			"The request's Accept header takes none of the media types the route answers with."),
	TOO_LARGE("too-large", "Payload too large", 413,
			"The body, a value, the request line or the headers pass their limit; the detail says which."),
	REQUEST_TIMEOUT("request-timeout", "Request timeout", 408,
			"The request body did not arrive whole in time (REQUEST_BODY_TIMEOUT); the connection is closed."),
	NO_ROUTE("no-route", "No such endpoint", 404, "No route of the API has this path."),
	METHOD_NOT_ALLOWED("method-not-allowed", "Method not allowed", 405,
			"The path exists, but not with this method; Allow lists those it has."),
	UNAVAILABLE("unavailable", "Service unavailable", 503,
			"The store cannot be reached, or is full, for now; retry after Retry-After."),
	RATE_LIMITED("rate-limited", "Too many requests", 429,
			"A rate limit was reached (limit names it: the tenant's operations per second, login failures, "
					+ "registrations, open watches); retry after Retry-After."),
	QUOTA_EXCEEDED("quota-exceeded", "Quota exceeded", 403,
			"The write would take the tenant past a quota (limit names it: keys or bytes, or API keys). Nothing was "
					+ "written: delete something first."),
	NOT_SUPPORTED("not-supported", "Not supported", 501,
			"The server does not implement the request's method (501) or HTTP version (505)."),
	INTERNAL("internal", "Internal error", 500,
			"A fault of the service, logged with the request's id (X-Request-ID); nothing about it is told.");

	/** Where the app serves the documentation of each problem type. */
	public static final String PATH = "/problems/";

	private final String slug;

	private final String title;

	private final int status;

	private final String meaning;

	ProblemType(String slug, String title, int status, String meaning) {
		this.slug = slug;
		this.title = title;
		this.status = status;
		this.meaning = meaning;
	}

	/** Its {@code type} URI, relative to the API's address. */
	public String uri() {
		return PATH + this.slug;
	}

	public String slug() {
		return this.slug;
	}

	public String title() {
		return this.title;
	}

	public int status() {
		return this.status;
	}

	public String meaning() {
		return this.meaning;
	}

}
