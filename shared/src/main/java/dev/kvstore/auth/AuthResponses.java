package dev.kvstore.auth;

import java.util.UUID;

/**
 * The answers of the auth endpoints; {@code token_type} is always {@code bearer}.
 */
public final class AuthResponses {

	private static final String BEARER = "bearer";

	public record Profile(String username, String email, UUID tenantId, boolean isActive) {

		public static Profile of(Account account) {
			return new Profile(account.username(), account.email(), account.tenant().value(), account.active());
		}

	}

	private AuthResponses() {
	}

	public record Registered(UUID tenantId, String accessToken, String refreshToken, String tokenType) {

		public Registered(UUID tenantId, TokenPair tokens) {
			this(tenantId, tokens.accessToken(), tokens.refreshToken(), BEARER);
		}

	}

	public record TokenPair(String accessToken, String refreshToken, String tokenType) {

		public TokenPair(String accessToken, String refreshToken) {
			this(accessToken, refreshToken, BEARER);
		}

	}

}
