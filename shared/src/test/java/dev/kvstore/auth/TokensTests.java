package dev.kvstore.auth;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import dev.kvstore.problem.ApiException;
import dev.kvstore.tenant.TenantId;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TokensTests {

	private static final TokenSettings settings = new TokenSettings("a-secret-that-is-long-enough-for-hs256",
			Duration.ofMinutes(30), Duration.ofDays(7));

	private final Tokens tokens = new Tokens(settings);

	private final TenantId tenant = TenantId.random();

	@Test
	void verifiesItsOwnAccessToken() {
		String token = this.tokens.issue(this.tenant, Tokens.Type.ACCESS).token();

		assertThat(this.tokens.verifyAccess(token)).isEqualTo(this.tenant);
		assertThat(this.tokens.verifyAccess(token)).isEqualTo(this.tenant);
	}

	@Test
	void remembersABoundedNumberOfVerifiedTokens() {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		this.tokens.bindTo(registry);

		for (int i = 0; i < Tokens.MAX_REMEMBERED + 1000; i++) {
			this.tokens.verifyAccess(this.tokens.issue(this.tenant, Tokens.Type.ACCESS).token());
		}

		assertThat(registry.get("auth.tokens.remembered").gauge().value()).isBetween(Tokens.MAX_REMEMBERED * 0.9,
				(double) Tokens.MAX_REMEMBERED);
	}

	@Test
	void refusesRefreshTokenAsAccessTokenAndTheReverse() {
		String refresh = this.tokens.issue(this.tenant, Tokens.Type.REFRESH).token();
		String access = this.tokens.issue(this.tenant, Tokens.Type.ACCESS).token();

		assertThatExceptionOfType(ApiException.Unauthorized.class).isThrownBy(() -> this.tokens.verifyAccess(refresh));
		assertThatExceptionOfType(ApiException.Unauthorized.class)
			.isThrownBy(() -> this.tokens.verify(access, Tokens.Type.REFRESH));
	}

	@Test
	void refusesExpiredTokenEvenWhenVerifiedBefore() {
		Instant issued = Instant.parse("2026-01-01T00:00:00Z");
		String token = new Tokens(settings, Clock.fixed(issued, ZoneOffset.UTC)).issue(this.tenant, Tokens.Type.ACCESS)
			.token();
		Tokens later = new Tokens(settings, Clock.fixed(issued.plus(Duration.ofMinutes(31)), ZoneOffset.UTC));

		assertThatExceptionOfType(ApiException.Unauthorized.class).isThrownBy(() -> later.verifyAccess(token))
			.withMessageContaining("expired");
	}

	@Test
	void refusesTokensOfAnotherSecret() {
		Tokens other = new Tokens(
				new TokenSettings("another-secret-that-is-long-enough!!", Duration.ofMinutes(30), Duration.ofDays(7)));

		String token = other.issue(this.tenant, Tokens.Type.ACCESS).token();

		assertThatExceptionOfType(ApiException.Unauthorized.class).isThrownBy(() -> this.tokens.verifyAccess(token));
	}

	@Test
	void refusesToStartWithShortOrMissingSecret() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new TokenSettings("too-short", Duration.ofMinutes(1), Duration.ofDays(1)))
			.withMessageContaining("SECRET_KEY");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new TokenSettings(null, Duration.ofMinutes(1), Duration.ofDays(1)))
			.withMessageContaining("SECRET_KEY");
	}

	@Test
	void rotatesKeysTheNewestSignsAndOlderOnesStillVerify() {
		String oldSecret = "the-old-secret-that-is-long-enough-to-sign";
		String newSecret = "the-new-secret-that-is-long-enough-to-sign";
		Tokens before = new Tokens(new TokenSettings(oldSecret, Duration.ofMinutes(30), Duration.ofDays(7)));
		Tokens during = new Tokens(
				new TokenSettings(newSecret, List.of(oldSecret), Duration.ofMinutes(30), Duration.ofDays(7)));
		Tokens after = new Tokens(new TokenSettings(newSecret, Duration.ofMinutes(30), Duration.ofDays(7)));
		String oldToken = before.issue(this.tenant, Tokens.Type.ACCESS).token();
		String newToken = during.issue(this.tenant, Tokens.Type.ACCESS).token();

		assertThat(during.verifyAccess(oldToken)).isEqualTo(this.tenant);
		assertThat(after.verifyAccess(newToken)).isEqualTo(this.tenant);
		assertThat(keyId(newToken)).isEqualTo(Tokens.keyId(newSecret)).doesNotContain(newSecret);
		assertThat(keyId(oldToken)).isEqualTo(Tokens.keyId(oldSecret));
		assertThatExceptionOfType(ApiException.Unauthorized.class).isThrownBy(() -> after.verifyAccess(oldToken));
		assertThatExceptionOfType(ApiException.Unauthorized.class).isThrownBy(() -> before.verifyAccess(newToken));
	}

	@Test
	void refusesATokenNamingAKeyItDoesNotHaveEvenWhenAnotherWouldVerify() {
		String token = this.tokens.issue(this.tenant, Tokens.Type.ACCESS).token();
		String[] parts = token.split("\\.");
		String header = new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8)
			.replace(Tokens.keyId(settings.secret()), "someone-elses");
		String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(header.getBytes(StandardCharsets.UTF_8))
				+ "." + parts[1] + "." + parts[2];

		assertThatExceptionOfType(ApiException.Unauthorized.class).isThrownBy(() -> this.tokens.verifyAccess(forged));
	}

	private static String keyId(String token) {
		String header = new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]), StandardCharsets.UTF_8);
		return header.replaceAll(".*\"kid\":\"([^\"]+)\".*", "$1");
	}

}
