package dev.kvstore.auth;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * BCrypt hashing. A login for an unknown user is checked against a dummy hash, so that it
 * takes as long as a wrong password for a real one and the two cannot be told apart.
 */
public class Passwords {

	private final BCryptPasswordEncoder encoder;

	private final String dummyHash;

	public Passwords(int strength) {
		this.encoder = new BCryptPasswordEncoder(strength);
		this.dummyHash = this.encoder.encode("not-a-password-of-anyone-1A");
	}

	public String hash(String password) {
		return this.encoder.encode(password);
	}

	/**
	 * Whether {@code password} is the account's; {@code account} may be null (unknown
	 * user).
	 */
	public boolean matches(String password, Account account) {
		boolean known = account != null && account.active();
		boolean matches = this.encoder.matches(password, known ? account.passwordHash() : this.dummyHash);
		return known && matches;
	}

}
