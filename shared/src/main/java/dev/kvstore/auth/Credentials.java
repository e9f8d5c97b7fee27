package dev.kvstore.auth;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import dev.kvstore.problem.ApiException;

/**
 * The rules for usernames, emails and passwords, and the request records that carry them.
 */
public final class Credentials {

	private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9_.-]{3,50}");

	private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+");

	private static final int MAX_EMAIL_LENGTH = 254;

	private static final int MIN_PASSWORD_LENGTH = 8;

	/** BCrypt reads at most 72 bytes; a longer password would be silently cut. */
	private static final int MAX_PASSWORD_BYTES = 72;

	private Credentials() {
	}

	/** {@code POST /api/v1/auth/register}. */
	public record Registration(String username, String email, String password) {

		public Registration {
			username = checkedUsername(username);
			email = checkedEmail(email);
			password = newPassword(password);
		}

	}

	/**
	 * {@code POST /api/v1/auth/login}: only presence is checked, so a login reveals no
	 * rule.
	 */
	public record Login(String username, String password) {

		public Login {
			required("username", username, 256);
			required("password", password, 1024);
		}

	}

	/**
	 * {@code PUT /api/v1/auth/me}: a new email, a new password, or both; the current
	 * password is required.
	 */
	public record ProfileChange(String email, String password, String currentPassword) {

		public ProfileChange {
			if (email == null && password == null) {
				throw new ApiException.Invalid("give a new email, a new password, or both");
			}
			email = (email != null) ? checkedEmail(email) : null;
			password = (password != null) ? newPassword(password) : null;
			required("current_password", currentPassword, 1024);
		}

	}

	/** {@code POST /api/v1/auth/refresh} and {@code POST /api/v1/auth/logout}. */
	public record RefreshToken(String refreshToken) {

		public RefreshToken {
			required("refresh_token", refreshToken, 4096);
		}

	}

	static String checkedUsername(String username) {
		if (username == null || !USERNAME.matcher(username).matches()) {
			throw new ApiException.Invalid("username must be 3 to 50 letters, digits, '_', '.' or '-'");
		}
		return username;
	}

	static String checkedEmail(String email) {
		if (email == null || email.length() > MAX_EMAIL_LENGTH || !EMAIL.matcher(email).matches()) {
			throw new ApiException.Invalid(
					"email must be a valid address of at most " + MAX_EMAIL_LENGTH + " characters");
		}
		return email;
	}

	static String newPassword(String password) {
		if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
			throw new ApiException.Invalid("password must be at least " + MIN_PASSWORD_LENGTH + " characters long");
		}
		if (password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
			throw new ApiException.Invalid("password must be at most " + MAX_PASSWORD_BYTES + " bytes long");
		}
		if (password.chars().noneMatch(Character::isUpperCase)) {
			throw new ApiException.Invalid("password must contain an upper-case letter");
		}
		if (password.chars().noneMatch(Character::isLowerCase)) {
			throw new ApiException.Invalid("password must contain a lower-case letter");
		}
		if (password.chars().noneMatch(Character::isDigit)) {
			throw new ApiException.Invalid("password must contain a digit");
		}
		return password;
	}

	private static void required(String field, String text, int maxLength) {
		if (text == null || text.isEmpty()) {
			throw new ApiException.Invalid(field + " is required");
		}
		if (text.length() > maxLength) {
			throw new ApiException.Invalid(field + " must be at most " + maxLength + " characters");
		}
	}

}
