package dev.kvstore.functions.auth;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import dev.kvstore.functions.ApiClient;
import dev.kvstore.functions.ApiClient.Response;
import dev.kvstore.functions.ApiClient.Session;
import dev.kvstore.functions.ApiTest;
import dev.kvstore.functions.HandMadeTokens;

import static dev.kvstore.functions.ApiClient.login;
import static dev.kvstore.functions.ApiClient.registration;
import static dev.kvstore.functions.ApiClient.uniqueName;
import static dev.kvstore.functions.HandMadeTokens.base64Url;
import static dev.kvstore.functions.HandMadeTokens.mac;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The auth endpoints and the token rules: registration, login, the caller's account,
 * refresh, logout, and every kind of token that must be refused.
 */
@ApiTest
class AuthApiTests {

	private static final String REGISTER = "/api/v1/auth/register";

	private static final String LOGIN = "/api/v1/auth/login";

	private static final String ME = "/api/v1/auth/me";

	private static final String REFRESH = "/api/v1/auth/refresh";

	private static final String LOGOUT = "/api/v1/auth/logout";

	private static final String COUNT = "/api/v1/kv/stats/count";

	private static final SecureRandom random = new SecureRandom();

	@Autowired
	ApiClient api;

	// register

	@Test
	void registersWithTenantIdAndBothTokens() {
		String name = uniqueName();

		Response response = this.api.post(REGISTER, null, registration(name, name + "@example.com", "Passw0rdOk"));

		JsonNode body = response.ok(201);
		assertThat(response.contentType()).startsWith("application/json");
		assertThat(UUID.fromString(body.get("tenant_id").asString())).isNotNull();
		assertThat(body.get("access_token").asString()).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");
		assertThat(body.get("refresh_token").asString()).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+")
			.isNotEqualTo(body.get("access_token").asString());
		assertThat(body.get("token_type").asString()).isEqualTo("bearer");
	}

	@Test
	void refusesTakenUsername() {
		Session taken = this.api.register();

		Response response = this.api.post(REGISTER, null,
				registration(taken.username(), uniqueName() + "@example.com", "Passw0rdOk"));

		assertThat(response.problem(409).get("detail").asString()).contains("username");
	}

	@Test
	void refusesTakenEmail() {
		Session taken = this.api.register();

		Response response = this.api.post(REGISTER, null, registration(uniqueName(), taken.email(), "Passw0rdOk"));

		assertThat(response.problem(409).get("detail").asString()).contains("email");
	}

	@ParameterizedTest
	@CsvSource({ "Sh0rtPw, at least 8 characters", "lowercase1only, upper-case", "UPPERCASE1ONLY, lower-case",
			"NoDigitsAtAll, digit" })
	void refusesPasswordBreakingARuleAndNamesTheRule(String password, String rule) {
		String name = uniqueName();

		Response response = this.api.post(REGISTER, null, registration(name, name + "@example.com", password));

		assertThat(response.problem(422).get("detail").asString()).contains("password").contains(rule);
		this.api.post(REGISTER, null, registration(name, name + "@example.com", "Passw0rdOk")).ok(201);
	}

	@ParameterizedTest
	@ValueSource(strings = { "ab", "has space", "semi;colon", "slash/name", "" })
	void refusesBadUsername(String username) {
		Response response = this.api.post(REGISTER, null,
				registration(username, uniqueName() + "@example.com", "Passw0rdOk"));

		assertThat(response.problem(422).get("detail").asString()).contains("username");
	}

	@Test
	void refusesTooLongUsername() {
		Response response = this.api.post(REGISTER, null,
				registration("u".repeat(51), uniqueName() + "@example.com", "Passw0rdOk"));

		assertThat(response.problem(422).get("detail").asString()).contains("username");
	}

	@ParameterizedTest
	@ValueSource(strings = { "not-an-email", "missing-domain@", "@example.com", "two@@example.com", "no-dot@example",
			"spa ce@example.com" })
	void refusesBadEmail(String email) {
		Response response = this.api.post(REGISTER, null, registration(uniqueName(), email, "Passw0rdOk"));

		assertThat(response.problem(422).get("detail").asString()).contains("email");
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"username\": ", "not json at all", "{\"username\":\"a\",}", "[1, 2]" })
	void refusesMalformedJson(String body) {
		Response response = this.api.post(REGISTER, null, body);

		response.problem(400);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			value = { "{}|username", "{\"email\":\"m@example.com\",\"password\":\"Passw0rdOk\"}|username",
					"{\"username\":\"NAME\",\"password\":\"Passw0rdOk\"}|email",
					"{\"username\":\"NAME\",\"email\":\"m@example.com\"}|password" })
	void refusesMissingFields(String body, String field) {
		Response response = this.api.post(REGISTER, null, body.replace("NAME", uniqueName()));

		assertThat(response.problem(422).get("detail").asString()).contains(field);
	}

	// login

	@Test
	void logsInWithJsonBody() {
		Session session = this.api.register();

		Response response = this.api.post(LOGIN, null, login(session.username(), session.password()));

		JsonNode body = response.ok(200);
		assertThat(body.get("token_type").asString()).isEqualTo("bearer");
		assertThat(body.get("refresh_token").asString()).isNotBlank();
		JsonNode me = this.api.get(ME, body.get("access_token").asString()).ok(200);
		assertThat(me.get("tenant_id").asString()).isEqualTo(session.tenantId());
		this.api.post(REFRESH, null, refresh(body.get("refresh_token").asString())).ok(200);
	}

	@Test
	void answersUnknownUserAndWrongPasswordAlike() {
		Session session = this.api.register();

		JsonNode wrongPassword = this.api.post(LOGIN, null, login(session.username(), session.password() + "x"))
			.problem(401);
		JsonNode unknownUser = this.api.post(LOGIN, null, login(uniqueName(), session.password())).problem(401);

		assertThat(unknownUser.get("type")).isEqualTo(wrongPassword.get("type"));
		assertThat(unknownUser.get("title")).isEqualTo(wrongPassword.get("title"));
		assertThat(unknownUser.get("detail")).isEqualTo(wrongPassword.get("detail"));
		assertThat(unknownUser).isEqualTo(wrongPassword);
	}

	// me

	@Test
	void returnsOwnProfile() {
		Session session = this.api.register();

		JsonNode me = this.api.get(ME, session.accessToken()).ok(200);

		assertThat(me.get("username").asString()).isEqualTo(session.username());
		assertThat(me.get("email").asString()).isEqualTo(session.email());
		assertThat(me.get("tenant_id").asString()).isEqualTo(session.tenantId());
		assertThat(me.get("is_active").isBoolean()).isTrue();
		assertThat(me.get("is_active").asBoolean()).isTrue();
		assertThat(me.has("password")).isFalse();
	}

	@Test
	void refusesProfileWithoutTokenAndAsksForBearer() {
		Response response = this.api.get(ME, null);

		response.problem(401);
		assertThat(response.headers().firstValue("WWW-Authenticate"))
			.hasValueSatisfying((challenge) -> assertThat(challenge).startsWith("Bearer"));
	}

	// refresh

	@Test
	void refreshesAccessTokenThatThenWorks() {
		Session session = this.api.register();

		JsonNode body = this.api.post(REFRESH, null, refresh(session.refreshToken())).ok(200);

		assertThat(body.get("token_type").asString()).isEqualTo("bearer");
		String access = body.get("access_token").asString();
		assertThat(access).isNotBlank().isNotEqualTo(session.accessToken());
		JsonNode me = this.api.get(ME, access).ok(200);
		assertThat(me.get("tenant_id").asString()).isEqualTo(session.tenantId());
	}

	@Test
	void refusesRefreshTokenAsAccessToken() {
		Session session = this.api.register();

		Response me = this.api.get(ME, session.refreshToken());
		Response count = this.api.get(COUNT, session.refreshToken());

		assertRefusedToken(me);
		assertRefusedToken(count);
	}

	@Test
	void refusesAccessTokenAtRefresh() {
		Session session = this.api.register();

		Response response = this.api.post(REFRESH, null, refresh(session.accessToken()));

		response.problem(401);
	}

	// forged tokens

	@Test
	void acceptsTokenBuiltLikeTheServerDoes() {
		// the control for the forgeries below: the hand-made claims are what the server
		// issues, so a refusal is about the one thing each forgery changes
		Session session = this.api.register();
		String token = hs256(session.tenantId(), "access", Instant.now().plusSeconds(600),
				ApiTest.SECRET.getBytes(StandardCharsets.UTF_8));

		Response response = this.api.get(ME, token);

		assertThat(response.ok(200).get("tenant_id").asString()).isEqualTo(session.tenantId());
	}

	@Test
	void refusesUnsignedAlgNoneToken() {
		Session session = this.api.register();
		String header = base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}");
		String payload = base64Url(claims(session.tenantId(), "access", Instant.now().plusSeconds(600)));

		assertRefusedEverywhere(header + "." + payload + ".");
		assertRefusedEverywhere(header + "." + payload);
		assertRefusedEverywhere(base64Url("{\"alg\":\"None\"}") + "." + payload + ".");
	}

	@Test
	void refusesHs512SignedToken() {
		Session session = this.api.register();
		byte[] key = new byte[64];
		random.nextBytes(key);
		String signingInput = base64Url("{\"alg\":\"HS512\",\"typ\":\"JWT\"}") + "."
				+ base64Url(claims(session.tenantId(), "access", Instant.now().plusSeconds(600)));
		String token = signingInput + "." + mac("HmacSHA512", key, signingInput);

		assertRefusedEverywhere(token);
	}

	@Test
	void refusesHs512TokenSignedWithTheServerSecret() {
		Session session = this.api.register();
		String signingInput = base64Url("{\"alg\":\"HS512\",\"typ\":\"JWT\"}") + "."
				+ base64Url(claims(session.tenantId(), "access", Instant.now().plusSeconds(600)));
		String token = signingInput + "."
				+ mac("HmacSHA512", ApiTest.SECRET.getBytes(StandardCharsets.UTF_8), signingInput);

		assertRefusedEverywhere(token);
	}

	@Test
	void refusesTokenSignedWithAnotherSecret() {
		Session session = this.api.register();
		String token = hs256(session.tenantId(), "access", Instant.now().plusSeconds(600),
				"another-secret-of-at-least-32-characters!".getBytes(StandardCharsets.UTF_8));

		assertRefusedEverywhere(token);
	}

	@Test
	void refusesTamperedPayload() {
		Session session = this.api.register();
		String[] parts = session.accessToken().split("\\.");
		int at = parts[1].length() / 2;
		char replacement = (parts[1].charAt(at) == 'A') ? 'B' : 'A';
		String payload = parts[1].substring(0, at) + replacement + parts[1].substring(at + 1);

		assertRefusedEverywhere(parts[0] + "." + payload + "." + parts[2]);
	}

	@Test
	void refusesPayloadMovedToAnotherTenant() {
		Session victim = this.api.register();
		Session attacker = this.api.register();
		String[] parts = attacker.accessToken().split("\\.");
		String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
		String payload = base64Url(claims.replace(attacker.tenantId(), victim.tenantId()));

		assertThat(payload).isNotEqualTo(parts[1]);
		assertRefusedEverywhere(parts[0] + "." + payload + "." + parts[2]);
	}

	@Test
	void refusesExpiredToken() {
		Session session = this.api.register();
		String token = hs256(session.tenantId(), "access", Instant.now().minusSeconds(60),
				ApiTest.SECRET.getBytes(StandardCharsets.UTF_8));

		assertRefusedEverywhere(token);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "admin", "ACCESS", "refresh" })
	void refusesServerSignedTokenOfAnotherType(String type) {
		Session session = this.api.register();
		String token = hs256(session.tenantId(), type, Instant.now().plusSeconds(600),
				ApiTest.SECRET.getBytes(StandardCharsets.UTF_8));

		assertRefusedEverywhere(token);
	}

	@Test
	void refusesServerSignedTokenOfUnknownTenant() {
		String token = hs256(UUID.randomUUID().toString(), "access", Instant.now().plusSeconds(600),
				ApiTest.SECRET.getBytes(StandardCharsets.UTF_8));

		assertRefusedEverywhere(token);
	}

	@ParameterizedTest
	@ValueSource(strings = { "garbage", "a.b.c", "..", "eyJhbGciOiJIUzI1NiJ9", "eyJhbGciOiJIUzI1NiJ9.e30.", "Bearer",
			"%00%01" })
	void refusesGarbageTokens(String token) {
		assertRefusedEverywhere(token);
	}

	@Test
	void refusesOverlongToken() {
		assertRefusedEverywhere("x".repeat(5000));
	}

	@ParameterizedTest
	@ValueSource(strings = { "Bearer", "Bearer ", "Bearer     ", "bearer" })
	void refusesBearerWithEmptyToken(String authorization) {
		Response me = this.api.send("GET", ME, null, null, "Authorization", authorization);
		Response count = this.api.send("GET", COUNT, null, null, "Authorization", authorization);

		assertRefusedToken(me);
		assertRefusedToken(count);
	}

	@Test
	void refusesValidTokenUnderAnotherScheme() {
		Session session = this.api.register();

		for (String authorization : new String[] { "Token " + session.accessToken(),
				"Basic " + Base64.getEncoder()
					.encodeToString((session.username() + ":" + session.password()).getBytes(StandardCharsets.UTF_8)),
				session.accessToken(), "JWT " + session.accessToken(), "Bearer: " + session.accessToken() }) {
			Response response = this.api.send("GET", ME, null, null, "Authorization", authorization);

			assertRefusedToken(response);
		}
	}

	// logout

	@Test
	void logoutRevokesTheRefreshToken() {
		Session session = this.api.register();

		Response response = this.api.post(LOGOUT, null, refresh(session.refreshToken()));

		assertThat(response.status()).isEqualTo(204);
		assertThat(response.body()).isEmpty();
		this.api.post(REFRESH, null, refresh(session.refreshToken())).problem(401);
	}

	@Test
	void logoutLeavesOtherSessionsOpen() {
		Session session = this.api.register();
		String other = this.api.post(LOGIN, null, login(session.username(), session.password()))
			.ok(200)
			.get("refresh_token")
			.asString();

		this.api.post(LOGOUT, null, refresh(session.refreshToken()));

		this.api.post(REFRESH, null, refresh(session.refreshToken())).problem(401);
		this.api.post(REFRESH, null, refresh(other)).ok(200);
	}

	@Test
	void logoutRefusesAccessToken() {
		Session session = this.api.register();

		Response response = this.api.post(LOGOUT, null, refresh(session.accessToken()));

		response.problem(401);
		this.api.post(REFRESH, null, refresh(session.refreshToken())).ok(200);
	}

	// PUT /me

	@Test
	void changesEmailAndFreesTheOldOne() {
		Session session = this.api.register();
		String newEmail = uniqueName() + "@example.org";

		Response response = this.api.put(ME, session.accessToken(),
				"{\"email\":\"%s\",\"current_password\":\"%s\"}".formatted(newEmail, session.password()));

		JsonNode body = response.ok(200);
		assertThat(body.get("email").asString()).isEqualTo(newEmail);
		assertThat(body.get("username").asString()).isEqualTo(session.username());
		assertThat(this.api.get(ME, session.accessToken()).ok(200).get("email").asString()).isEqualTo(newEmail);
		this.api.post(REGISTER, null, registration(uniqueName(), session.email(), "Passw0rdOk")).ok(201);
		this.api.post(REGISTER, null, registration(uniqueName(), newEmail, "Passw0rdOk")).problem(409);
	}

	@Test
	void refusesProfileChangeWithWrongCurrentPassword() {
		Session session = this.api.register();

		Response response = this.api.put(ME, session.accessToken(),
				"{\"email\":\"%s@example.org\",\"current_password\":\"%s\"}".formatted(uniqueName(),
						session.password() + "x"));

		assertThat(response.problem(422).get("detail").asString()).contains("current_password");
		assertThat(this.api.get(ME, session.accessToken()).ok(200).get("email").asString()).isEqualTo(session.email());
		this.api.post(LOGIN, null, login(session.username(), session.password())).ok(200);
	}

	@Test
	void refusesEmailChangeToAnotherAccountsEmail() {
		Session session = this.api.register();
		Session other = this.api.register();

		Response response = this.api.put(ME, session.accessToken(),
				"{\"email\":\"%s\",\"current_password\":\"%s\"}".formatted(other.email(), session.password()));

		response.problem(409);
		assertThat(this.api.get(ME, session.accessToken()).ok(200).get("email").asString()).isEqualTo(session.email());
		assertThat(this.api.get(ME, other.accessToken()).ok(200).get("email").asString()).isEqualTo(other.email());
	}

	@Test
	void refusesNewPasswordBreakingARule() {
		Session session = this.api.register();

		Response response = this.api.put(ME, session.accessToken(),
				"{\"password\":\"nodigitsHere\",\"current_password\":\"%s\"}".formatted(session.password()));

		assertThat(response.problem(422).get("detail").asString()).contains("digit");
		this.api.post(LOGIN, null, login(session.username(), session.password())).ok(200);
	}

	@Test
	void refusesProfileChangeWithNothingToChange() {
		Session session = this.api.register();

		Response response = this.api.put(ME, session.accessToken(),
				"{\"current_password\":\"%s\"}".formatted(session.password()));

		response.problem(422);
	}

	@Test
	void changesPasswordAndRevokesEarlierRefreshTokens() {
		Session session = this.api.register();
		String loginRefresh = this.api.post(LOGIN, null, login(session.username(), session.password()))
			.ok(200)
			.get("refresh_token")
			.asString();
		String newPassword = "N3wPassword" + random.nextInt(1000);

		Response response = this.api.put(ME, session.accessToken(),
				"{\"password\":\"%s\",\"current_password\":\"%s\"}".formatted(newPassword, session.password()));

		response.ok(200);
		JsonNode login = this.api.post(LOGIN, null, login(session.username(), newPassword)).ok(200);
		this.api.post(LOGIN, null, login(session.username(), session.password())).problem(401);
		this.api.post(REFRESH, null, refresh(session.refreshToken())).problem(401);
		this.api.post(REFRESH, null, refresh(loginRefresh)).problem(401);
		this.api.post(REFRESH, null, refresh(login.get("refresh_token").asString())).ok(200);
	}

	// DELETE /me

	@Test
	void deletingAccountEndsItsTokensAndData() {
		Session session = this.api.register();
		this.api.post("/api/v1/kv", session.accessToken(), "{\"key\":\"doomed\",\"value\":\"secret\"}").ok(201);
		assertThat(this.api.get(COUNT, session.accessToken()).ok(200).get("count").asLong()).isEqualTo(1);

		Response response = this.api.delete(ME, session.accessToken());

		assertThat(response.status()).isEqualTo(204);
		assertRefusedToken(this.api.get(ME, session.accessToken()));
		assertRefusedToken(this.api.get("/api/v1/kv/doomed", session.accessToken()));
		assertRefusedToken(this.api.get("/api/v1/kv/doomed/exists", session.accessToken()));
		assertRefusedToken(this.api.get("/api/v1/kv/doomed/ttl", session.accessToken()));
		assertRefusedToken(this.api.get("/api/v1/kv", session.accessToken()));
		assertRefusedToken(this.api.get(COUNT, session.accessToken()));
		assertRefusedToken(this.api.put("/api/v1/kv/doomed", session.accessToken(), "{\"value\":1}"));
		assertRefusedToken(this.api.delete("/api/v1/kv/doomed", session.accessToken()));
		assertRefusedToken(this.api.post("/api/v1/kv", session.accessToken(), "{\"key\":\"new\",\"value\":1}"));
		assertRefusedToken(this.api.post("/api/v1/kv/batch", session.accessToken(),
				"{\"items\":[{\"key\":\"new\",\"value\":1}]}"));
		assertRefusedToken(
				this.api.put(ME, session.accessToken(), "{\"email\":\"x%s@example.com\",\"current_password\":\"%s\"}"
					.formatted(uniqueName(), session.password())));
		assertRefusedToken(this.api.delete(ME, session.accessToken()));
		assertRefusedToken(this.api.get("/api/v1/audit", session.accessToken()));
		this.api.post(REFRESH, null, refresh(session.refreshToken())).problem(401);
		this.api.post(LOGIN, null, login(session.username(), session.password())).problem(401);
	}

	@Test
	void deletedAccountsNamesAreFreeAndItsKeysStayGone() {
		Session old = this.api.register();
		this.api
			.post("/api/v1/kv", old.accessToken(), "{\"key\":\"doomed\",\"value\":\"secret\",\"tags\":{\"t\":\"v\"}}")
			.ok(201);
		this.api.delete(ME, old.accessToken());

		JsonNode registered = this.api.post(REGISTER, null, registration(old.username(), old.email(), "Passw0rdNew"))
			.ok(201);

		String newTenant = registered.get("tenant_id").asString();
		String token = registered.get("access_token").asString();
		assertThat(newTenant).isNotEqualTo(old.tenantId());
		assertThat(this.api.get(COUNT, token).ok(200).get("count").asLong()).isZero();
		this.api.get("/api/v1/kv/doomed", token).problem(404);
		assertThat(this.api.get("/api/v1/kv/doomed/exists", token).ok(200).get("exists").asBoolean()).isFalse();
		JsonNode page = this.api.get("/api/v1/kv?page=1&page_size=20", token).ok(200);
		assertThat(page.get("items")).isEmpty();
		assertThat(page.get("total").asLong()).isZero();
		assertThat(this.api.get("/api/v1/kv?tag_filter=t:v", token).ok(200).get("items")).isEmpty();
		assertRefusedToken(this.api.get(ME, old.accessToken()));
		JsonNode me = this.api.get(ME, token).ok(200);
		assertThat(me.get("tenant_id").asString()).isEqualTo(newTenant);
		this.api.post(LOGIN, null, login(old.username(), old.password())).problem(401);
		this.api.post(LOGIN, null, login(old.username(), "Passw0rdNew")).ok(200);
	}

	// helpers

	/** A 401 with a Bearer challenge, from /me and from a key endpoint. */
	private void assertRefusedEverywhere(String token) {
		assertRefusedToken(this.api.get(ME, token));
		assertRefusedToken(this.api.get(COUNT, token));
		assertRefusedToken(this.api.post("/api/v1/kv", token, "{\"key\":\"forged\",\"value\":1}"));
	}

	private static void assertRefusedToken(Response response) {
		response.problem(401);
		assertThat(response.headers().firstValue("WWW-Authenticate"))
			.hasValueSatisfying((challenge) -> assertThat(challenge).startsWith("Bearer"));
	}

	private static String refresh(String token) {
		return "{\"refresh_token\":\"%s\"}".formatted(token);
	}

	/** The claims the server puts in its tokens. */
	private static String claims(String subject, String type, Instant expiresAt) {
		long now = Instant.now().getEpochSecond();
		return "{\"sub\":\"%s\",\"type\":\"%s\",\"jti\":\"%s\",\"iat\":%d,\"exp\":%d}".formatted(subject, type,
				UUID.randomUUID(), now, expiresAt.getEpochSecond());
	}

	/** An HS256 token built by hand, independent of the server's JWT library. */
	private static String hs256(String subject, String type, Instant expiresAt, byte[] secret) {
		return HandMadeTokens.hs256("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", claims(subject, type, expiresAt), secret);
	}

}
