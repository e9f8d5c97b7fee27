package dev.kvstore.auth;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;

/**
 * How tokens are signed and how long they live (SECRET_KEY, SECRET_KEY_PREVIOUS,
 * ACCESS_TOKEN_EXPIRE_MINUTES, REFRESH_TOKEN_EXPIRE_DAYS).
 *
 * @param secret the newest key: it signs every new token
 * @param previousSecrets older keys, which still verify the tokens they signed until they
 * are removed from this list (rotation: move SECRET_KEY here, set a new one, drop the old
 * one once REFRESH_TOKEN_EXPIRE_DAYS have passed)
 */
@ConfigurationProperties("kvstore.tokens")
public record TokenSettings(String secret, List<String> previousSecrets, Duration accessTtl, Duration refreshTtl) {

	public static final int MIN_SECRET_LENGTH = 32;

	@ConstructorBinding
	public TokenSettings {
		previousSecrets = (previousSecrets != null) ? previousSecrets.stream().filter((s) -> !s.isBlank()).toList()
				: List.of();
		if (secret == null || secret.length() < MIN_SECRET_LENGTH) {
			throw new IllegalArgumentException(
					"SECRET_KEY must be set to a secret of at least " + MIN_SECRET_LENGTH + " characters");
		}
		if (previousSecrets.stream().anyMatch((previous) -> previous.length() < MIN_SECRET_LENGTH)) {
			throw new IllegalArgumentException(
					"each SECRET_KEY_PREVIOUS must be at least " + MIN_SECRET_LENGTH + " characters");
		}
		if (accessTtl == null || accessTtl.isNegative() || accessTtl.isZero()) {
			throw new IllegalArgumentException("ACCESS_TOKEN_EXPIRE_MINUTES must be positive");
		}
		if (refreshTtl == null || refreshTtl.isNegative() || refreshTtl.isZero()) {
			throw new IllegalArgumentException("REFRESH_TOKEN_EXPIRE_DAYS must be positive");
		}
	}

	/** One signing key and no older ones. */
	public TokenSettings(String secret, Duration accessTtl, Duration refreshTtl) {
		this(secret, List.of(), accessTtl, refreshTtl);
	}

	@Override
	public String toString() {
		return "TokenSettings[secret=<hidden>, previousSecrets=<" + this.previousSecrets.size() + " hidden>, accessTtl="
				+ this.accessTtl + ", refreshTtl=" + this.refreshTtl + "]";
	}

}
