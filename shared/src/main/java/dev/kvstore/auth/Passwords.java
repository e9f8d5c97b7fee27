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
		// A hash of nothing anyone knows, at the same cost as every real one: checking a
		// password against it takes as long, and making it costs nothing at start-up.
		this.dummyHash = "$2a$%02d$%s".formatted(strength, "N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy");
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

	/** What an unknown user's password is checked against. */
	String dummyHash() {
		return this.dummyHash;
	}

}
