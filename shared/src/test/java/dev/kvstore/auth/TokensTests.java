package dev.kvstore.auth;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.kvstore.json.ApiJson;
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

	/** What any JWT library reads: numeric dates in seconds, the algorithm and key id. */
	@Test
	void writesTheStandardClaims() {
		Instant issued = Instant.parse("2026-01-01T00:00:00Z");
		String token = new Tokens(settings, Clock.fixed(issued, ZoneOffset.UTC)).issue(this.tenant, Tokens.Type.ACCESS)
			.token();

		JsonNode header = ApiJson.mapper().readTree(Base64.getUrlDecoder().decode(token.split("\\.")[0]));
		JsonNode claims = ApiJson.mapper().readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));

		assertThat(header.get("alg").asString()).isEqualTo("HS256");
		assertThat(header.get("kid").asString()).isEqualTo(Tokens.keyId(settings.secret()));
		assertThat(claims.get("sub").asString()).isEqualTo(this.tenant.toString());
		assertThat(claims.get("iat").isIntegralNumber()).isTrue();
		assertThat(claims.get("iat").asLong()).isEqualTo(issued.getEpochSecond());
		assertThat(claims.get("exp").asLong()).isEqualTo(issued.plus(Duration.ofMinutes(30)).getEpochSecond());
	}

	/** A reader that kept the first or the last of two subjects could be fooled. */
	@Test
	void refusesAWellSignedTokenThatNamesAClaimTwice() throws Exception {
		String token = this.tokens.issue(this.tenant, Tokens.Type.ACCESS).token();
		String[] parts = token.split("\\.");
		String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
		String twice = claims.replaceFirst("\\{", "{\"sub\":\"" + TenantId.random() + "\",");
		String content = parts[0] + "."
				+ Base64.getUrlEncoder().withoutPadding().encodeToString(twice.getBytes(StandardCharsets.UTF_8));
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec(Tokens.key(settings.secret()).getEncoded(), "HmacSHA256"));
		String signed = content + "."
				+ Base64.getUrlEncoder()
					.withoutPadding()
					.encodeToString(mac.doFinal(content.getBytes(StandardCharsets.US_ASCII)));

		assertThatExceptionOfType(ApiException.Unauthorized.class).isThrownBy(() -> this.tokens.verifyAccess(signed));
	}

	private static String keyId(String token) {
		String header = new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]), StandardCharsets.UTF_8);
		return header.replaceAll(".*\"kid\":\"([^\"]+)\".*", "$1");
	}

}
