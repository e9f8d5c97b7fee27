package dev.kvstore.auth;

import org.junit.jupiter.api.Test;

import org.springframework.security.crypto.bcrypt.BCrypt;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A login for an unknown user is checked against a dummy hash of the same cost as a real
 * one, so that it costs as much as a wrong password.
 */
class PasswordsTests {

	private final Passwords passwords = new Passwords(4);

	@Test
	void checksUnknownUsersAgainstAValidHashOfTheSameCost() {
		String real = this.passwords.hash("Passw0rdX");

		assertThat(this.passwords.dummyHash()).matches("\\$2a\\$04\\$[./0-9A-Za-z]{53}")
			.startsWith(real.substring(0, 7));
		// An invalid hash would be refused at once, without the BCrypt rounds.
		assertThat(BCrypt.checkpw("Passw0rdX", this.passwords.dummyHash())).isFalse();
		assertThat(this.passwords.matches("Passw0rdX", null)).isFalse();
	}

}
