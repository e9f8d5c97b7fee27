package dev.kvstore.auth;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.kvstore.json.ApiJson;
import dev.kvstore.problem.ApiException;

/** The API key routes' requests and answers. */
public final class ApiKeyRequests {

	/** The longest an API key may live: ten years, in seconds. */
	public static final long MAX_LIFETIME_SECONDS = 10L * 365 * 24 * 3600;

	private static final Set<List<String>> SCOPES = Set.of(List.of("read"), List.of("read", "write"));

	private ApiKeyRequests() {
	}

	/**
	 * {@code {"name", "scopes": ["read"] | ["read", "write"], "prefix"?, "expires_in"?}}.
	 *
	 * @param expiresIn seconds it lives, or {@code null} for until revoked
	 */
	public record NewApiKey(String name, List<String> scopes, String prefix, Long expiresIn) {

		public NewApiKey {
			if (name == null || name.isBlank() || name.length() > 100 || !ApiJson.isWellFormed(name)) {
				throw new ApiException.Invalid("name must be 1 to 100 characters");
			}
			scopes = (scopes != null) ? scopes.stream().sorted().distinct().toList() : null;
			if (scopes == null || !SCOPES.contains(scopes)) {
				throw new ApiException.Invalid("scopes must be [\"read\"] or [\"read\", \"write\"]");
			}
			prefix = (prefix != null) ? prefix : "";
			if (prefix.length() > 256 || !ApiJson.isWellFormed(prefix) || prefix.indexOf('\u0000') >= 0) {
				throw new ApiException.Invalid("prefix must be text of at most 256 characters");
			}
			if (expiresIn != null && (expiresIn < 1 || expiresIn > MAX_LIFETIME_SECONDS)) {
				throw new ApiException.Invalid("expires_in must be from 1 to " + MAX_LIFETIME_SECONDS + " seconds");
			}
		}

	}

	/** The key to revoke, from the path. */
	public record ApiKeyId(String id) {
	}

	/** A key as listed: never its secret. */
	public record ApiKeyView(String id, String name, List<String> scopes, String prefix, Instant createdAt,
			@JsonInclude(JsonInclude.Include.ALWAYS) Instant expiresAt) {
	}

	/**
	 * A key just created: {@code key}, the secret, is in this answer and nowhere else.
	 */
	public record ApiKeyCreated(String id, String name, String key, List<String> scopes, String prefix,
			Instant createdAt, @JsonInclude(JsonInclude.Include.ALWAYS) Instant expiresAt) {
	}

	public record ApiKeyList(List<ApiKeyView> items) {
	}

}
