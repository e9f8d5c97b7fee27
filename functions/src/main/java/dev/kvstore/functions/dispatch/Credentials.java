package dev.kvstore.functions.dispatch;

import org.jspecify.annotations.Nullable;

import dev.kvstore.auth.ApiKeys;

/**
 * Where a request carries its credential: an access token or an API key as
 * {@code Authorization: Bearer}, or an API key as {@code X-API-Key}. One parser for every
 * route, so no two read the header differently.
 */
final class Credentials {

	static final String API_KEY_HEADER = "X-API-Key";

	private static final String BEARER_PREFIX = "bearer ";

	private Credentials() {
	}

	/**
	 * The API key the request was made with: {@code X-API-Key}, or a bearer value that is
	 * one; {@code null} for a request with an access token.
	 */
	static @Nullable String apiKey(ApiRequest request) {
		String header = request.header().apply(API_KEY_HEADER);
		if (header != null) {
			return header.trim();
		}
		String bearer = bearer(request);
		return (bearer != null && bearer.startsWith(ApiKeys.PREFIX)) ? bearer : null;
	}

	/** The credential of an {@code Authorization: Bearer} header, or {@code null}. */
	static @Nullable String bearer(ApiRequest request) {
		String authorization = request.header().apply("Authorization");
		if (authorization == null || !authorization.regionMatches(true, 0, BEARER_PREFIX, 0, BEARER_PREFIX.length())) {
			return null;
		}
		return authorization.substring(BEARER_PREFIX.length()).trim();
	}

}
