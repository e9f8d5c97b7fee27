package dev.kvstore.auth;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How tokens are signed and how long they live (SECRET_KEY, ACCESS_TOKEN_EXPIRE_MINUTES,
 * REFRESH_TOKEN_EXPIRE_DAYS).
 */
@ConfigurationProperties("kvstore.tokens")
public record TokenSettings(String secret, Duration accessTtl, Duration refreshTtl) {

	public static final int MIN_SECRET_LENGTH = 32;

	public TokenSettings {
		if (secret == null || secret.length() < MIN_SECRET_LENGTH) {
			throw new IllegalArgumentException(
					"SECRET_KEY must be set to a secret of at least " + MIN_SECRET_LENGTH + " characters");
		}
		if (accessTtl == null || accessTtl.isNegative() || accessTtl.isZero()) {
			throw new IllegalArgumentException("ACCESS_TOKEN_EXPIRE_MINUTES must be positive");
		}
		if (refreshTtl == null || refreshTtl.isNegative() || refreshTtl.isZero()) {
			throw new IllegalArgumentException("REFRESH_TOKEN_EXPIRE_DAYS must be positive");
		}
	}

	@Override
	public String toString() {
		return "TokenSettings[secret=<hidden>, accessTtl=" + this.accessTtl + ", refreshTtl=" + this.refreshTtl + "]";
	}

}
