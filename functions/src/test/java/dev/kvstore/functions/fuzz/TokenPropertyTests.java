package dev.kvstore.functions.fuzz;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import dev.kvstore.functions.ApiClient;
import dev.kvstore.functions.ApiClient.Response;
import dev.kvstore.functions.ApiClient.Session;
import dev.kvstore.functions.ApiTest;

import static dev.kvstore.functions.HandMadeTokens.base64Url;
import static dev.kvstore.functions.HandMadeTokens.hs256;
import static dev.kvstore.functions.fuzz.Answers.check;
import static dev.kvstore.functions.fuzz.Answers.expect;
import static dev.kvstore.functions.fuzz.Inputs.quoted;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Generated credentials (random strings, tampered and forged JWTs, another tenant's
 * token, a refresh token where an access token belongs): only an unaltered access token
 * opens a route, and it opens its own tenant's data and nobody else's.
 */
@FuzzTest
class TokenPropertyTests {

	/** Whose data a credential may open. */
	enum Owner {

		A, B, NOBODY

	}

	/**
	 * An Authorization header ({@code null}: none), the tenant it must open, and whether
	 * it may instead be refused (a tampered token whose change did not alter its bytes).
	 */
	record Credential(String kind, String authorization, Owner owner, boolean mayBeRefused) {

		@Override
		public String toString() {
			return this.kind + ": " + this.authorization;
		}

	}

	/** A read a tenant may make, and what it reveals of whose data it saw. */
	enum Read {

		PROFILE("/api/v1/auth/me"), COUNT("/api/v1/kv/stats/count"), LIST("/api/v1/kv?page_size=100"),
		A_KEY("/api/v1/kv/a-key"), AUDIT("/api/v1/audit?limit=5");

		final String path;

		Read(String path) {
			this.path = path;
		}

	}

	@Autowired
	ApiClient api;

	Session a;

	Session b;

	@BeforeEach
	void setUp() {
		this.a = this.api.register();
		this.b = this.api.register();
		expect(this.api.post("/api/v1/kv", this.a.accessToken(), "{\"key\":\"a-key\",\"value\":\"a-canary\"}"), 201);
		expect(this.api.post("/api/v1/kv/batch", this.b.accessToken(),
				"{\"items\":[{\"key\":\"b1\",\"value\":1},{\"key\":\"b2\",\"value\":2}]}"), 201);
	}

	/** A credential used for a read. */
	record Attempt(Credential credential, Read read) {
	}

	@Test
	void onlyAnUnalteredAccessTokenOpensARouteAndOnlyToItsOwnTenant() {
		Tries.Tally tally = new Tries.Tally();
		Tries.forAll(250,
				(random) -> new Attempt(credential(random), Read.values()[random.nextInt(Read.values().length)]),
				(attempt) -> {
					Credential credential = attempt.credential();
					Read read = attempt.read();
					Response response = (credential.authorization() != null)
							? this.api.send("GET", read.path, null, null, "Authorization", credential.authorization())
							: this.api.get(read.path, null);
					tally.count((check(response) == 401) ? "refused" : "opened");

					if (credential.owner() == Owner.NOBODY || (credential.mayBeRefused() && response.status() == 401)) {
						expect(response, 401);
						assertThat(response.headers().firstValue("WWW-Authenticate"))
							.hasValueSatisfying((challenge) -> assertThat(challenge).startsWith("Bearer"));
						return;
					}
					assertOwnData(read, credential.owner(),
							expect(response, (read == Read.A_KEY && credential.owner() == Owner.B) ? 404 : 200));
				});
		assertThat(tally.get("opened")).as("%s", tally).isGreaterThan(40);
		assertThat(tally.get("refused")).as("%s", tally).isGreaterThan(100);
	}

	@Test
	void onlyALiveRefreshTokenIsRenewedAndForItsOwnTenant() {
		Tries.Tally tally = new Tries.Tally();
		Tries.forAll(120, (random) -> refreshCredential(random), (credential) -> {
			String token = credential.authorization();
			Response response = this.api.post("/api/v1/auth/refresh", null,
					"{\"refresh_token\":" + quoted(token) + "}");
			tally.count((check(response) == 200) ? "renewed" : "refused");

			if (credential.owner() == Owner.NOBODY || (credential.mayBeRefused() && response.status() != 200)) {
				assertThat(response.status()).isIn(401, 422);
				if (!token.isBlank() && token.length() <= 4096) {
					expect(response, 401);
				}
				return;
			}
			String access = expect(response, 200).json().get("access_token").asString();
			JsonNode profile = expect(this.api.get(Read.PROFILE.path, access), 200).json();
			assertThat(profile.get("tenant_id").asString()).isEqualTo(session(credential.owner()).tenantId());
		});
		assertThat(tally.get("renewed")).as("%s", tally).isGreaterThan(20);
		assertThat(tally.get("refused")).as("%s", tally).isGreaterThan(40);
	}

	private void assertOwnData(Read read, Owner owner, Response response) {
		JsonNode body = response.json();
		String own = session(owner).tenantId();
		switch (read) {
			case PROFILE -> assertThat(body.get("tenant_id").asString()).isEqualTo(own);
			case COUNT -> assertThat(body.get("count").asLong()).isEqualTo((owner == Owner.A) ? 1 : 2);
			case LIST -> {
				List<String> keys = body.get("items").valueStream().map((item) -> item.get("key").asString()).toList();
				assertThat(keys).isEqualTo((owner == Owner.A) ? List.of("a-key") : List.of("b1", "b2"));
			}
			case A_KEY -> {
				if (owner == Owner.A) {
					assertThat(body.get("value").asString()).isEqualTo("a-canary");
				}
				else {
					assertThat(response.body()).doesNotContain("a-canary");
				}
			}
			case AUDIT ->
				assertThat(response.body()).doesNotContain((owner == Owner.A) ? this.b.tenantId() : this.a.tenantId());
		}
	}

	private Session session(Owner owner) {
		return (owner == Owner.A) ? this.a : this.b;
	}

	// ---------------------------------------------------------------- credentials

	private Credential credential(Random random) {
		String accessA = this.a.accessToken();
		return switch (random.nextInt(24)) {
			case 0, 1, 2 -> new Credential("valid A", "Bearer " + accessA, Owner.A, false);
			case 3 -> new Credential("valid B", "Bearer " + this.b.accessToken(), Owner.B, false);
			case 4 -> new Credential("scheme case",
					List.of("bearer ", "BEARER ", "BeArEr ").get(random.nextInt(3)) + accessA, Owner.A, false);
			case 5 -> new Credential("spaces",
					"Bearer " + " ".repeat(1 + random.nextInt(3)) + accessA + " ".repeat(random.nextInt(3)), Owner.A,
					false);
			case 6 -> new Credential("refresh as access", "Bearer " + this.a.refreshToken(), Owner.NOBODY, false);
			case 7 -> new Credential("no header", null, Owner.NOBODY, false);
			case 8 -> new Credential("other scheme",
					List.of("Basic ", "Token ", "Bearer", "", "JWT ", "Bearer:").get(random.nextInt(6)) + accessA,
					Owner.NOBODY, false);
			case 9, 10, 11 -> new Credential("tampered A", "Bearer " + Inputs.tampered(random, accessA), Owner.A, true);
			case 12 ->
				new Credential("random", "Bearer " + printable(random, random.nextInt(3000)), Owner.NOBODY, false);
			case 13 -> new Credential("jwt-shaped", "Bearer " + randomBase64Url(random, 20) + "."
					+ randomBase64Url(random, 80) + "." + randomBase64Url(random, 43), Owner.NOBODY, false);
			default -> {
				Forgery forgery = forgery(random);
				yield new Credential(forgery.kind(), "Bearer " + forgery.token(), forgery.owner(), false);
			}
		};
	}

	/**
	 * A refresh credential; a live one comes from a new login each time, so that the
	 * property holds whether refresh tokens are reusable or rotated on use.
	 */
	private Credential refreshCredential(Random random) {
		return switch (random.nextInt(12)) {
			case 0, 1 -> new Credential("valid A", freshRefreshToken(this.a), Owner.A, false);
			case 2 -> new Credential("valid B", freshRefreshToken(this.b), Owner.B, false);
			case 3 -> new Credential("access as refresh", this.a.accessToken(), Owner.NOBODY, false);
			case 4, 5, 6 ->
				new Credential("tampered A", Inputs.tampered(random, freshRefreshToken(this.a)), Owner.A, true);
			case 7 -> new Credential("random", printable(random, random.nextInt(5000)), Owner.NOBODY, false);
			case 8 ->
				new Credential("empty or blank", List.of("", " ", "\t").get(random.nextInt(3)), Owner.NOBODY, false);
			default -> {
				Forgery forgery = forgery(random);
				yield new Credential(forgery.kind(), forgery.token(), Owner.NOBODY, false);
			}
		};
	}

	private String freshRefreshToken(Session session) {
		return expect(
				this.api.post("/api/v1/auth/login", null, ApiClient.login(session.username(), session.password())), 200)
			.json()
			.get("refresh_token")
			.asString();
	}

	/** A token made by hand, and whose data it must open (almost always nobody's). */
	record Forgery(String kind, String token, Owner owner) {
	}

	private Forgery forgery(Random random) {
		String tenant = this.a.tenantId();
		long now = Instant.now().getEpochSecond();
		String claims = claims(tenant, "access", now, now + 600);
		return switch (random.nextInt(12)) {
			case 0 -> new Forgery("server-signed control", hs256(header("HS256"), claims, secret()), Owner.A);
			case 1 -> new Forgery("alg none", base64Url(header("none")) + "." + base64Url(claims) + ".", Owner.NOBODY);
			case 2 -> new Forgery("alg HS512 header", hs256(header("HS512"), claims, secret()), Owner.NOBODY);
			case 3 -> new Forgery("other secret",
					hs256(header("HS256"), claims,
							"another-secret-of-at-least-32-characters!".getBytes(StandardCharsets.UTF_8)),
					Owner.NOBODY);
			case 4 -> new Forgery("expired",
					hs256(header("HS256"), claims(tenant, "access", now - 7200, now - 60), secret()), Owner.NOBODY);
			case 5 -> new Forgery("type " + random.nextInt(5),
					hs256(header("HS256"),
							claims(tenant, List.of("refresh", "ACCESS", "access ", "", "admin").get(random.nextInt(5)),
									now, now + 600),
							secret()),
					Owner.NOBODY);
			case 6 -> new Forgery("unknown tenant",
					hs256(header("HS256"), claims(UUID.randomUUID().toString(), "access", now, now + 600), secret()),
					Owner.NOBODY);
			case 7 -> new Forgery("odd subject", hs256(header("HS256"),
					claims(List
						.of("*", "../" + tenant, tenant + ":keys", "", tenant.toUpperCase(), "kv:{" + tenant + "}")
						.get(random.nextInt(6)), "access", now, now + 600),
					secret()), Owner.NOBODY);
			case 8 -> new Forgery("no jti",
					hs256(header("HS256"), claims.replaceFirst(",\"jti\":\"[^\"]*\"", ""), secret()), Owner.NOBODY);
			case 9 -> new Forgery("B payload, A signature", swapPayload(this.a.accessToken(), this.b.accessToken()),
					Owner.NOBODY);
			case 10 -> new Forgery("signature stripped",
					this.a.accessToken().substring(0, this.a.accessToken().lastIndexOf('.') + 1), Owner.NOBODY);
			default -> new Forgery("nested json claims",
					hs256(header("HS256"), claims.replace("\"access\"", "{\"type\":\"access\"}"), secret()),
					Owner.NOBODY);
		};
	}

	private static String swapPayload(String signed, String other) {
		String[] parts = signed.split("\\.");
		return parts[0] + "." + other.split("\\.")[1] + "." + parts[2];
	}

	private static String printable(Random random, int length) {
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < length; i++) {
			text.append((char) (0x21 + random.nextInt(0x5E)));
		}
		return text.toString();
	}

	private static String randomBase64Url(Random random, int length) {
		byte[] bytes = new byte[length];
		random.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	private static String header(String algorithm) {
		return "{\"alg\":\"" + algorithm + "\"}";
	}

	private static String claims(String subject, String type, long issuedAt, long expiresAt) {
		return "{\"sub\":%s,\"type\":%s,\"jti\":\"%s\",\"iat\":%d,\"exp\":%d}".formatted(quoted(subject), quoted(type),
				UUID.randomUUID(), issuedAt, expiresAt);
	}

	private static byte[] secret() {
		return ApiTest.SECRET.getBytes(StandardCharsets.UTF_8);
	}

}
