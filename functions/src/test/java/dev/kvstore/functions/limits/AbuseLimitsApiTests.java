package dev.kvstore.functions.limits;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.kvstore.auth.Tokens;
import dev.kvstore.functions.ApiClient;
import dev.kvstore.functions.ApiClient.Response;
import dev.kvstore.functions.ApiTest;
import dev.kvstore.redis.RedisKeys;
import dev.kvstore.tenant.TenantId;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Login and registration throttling, per-tenant quotas and rate, and refresh token
 * rotation, over HTTP with small limits. Clients are told apart by X-Forwarded-For, which
 * the app trusts from loopback (a proxy), so every test has addresses of its own.
 */
@Import(ApiClient.Configuration.class)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.data.redis.host=${REDIS_HOST:localhost}", "SECRET_KEY=" + ApiTest.SECRET,
				"BCRYPT_STRENGTH=4", "kvstore.throttle.login-failures-per-user=3",
				"kvstore.throttle.login-failures-per-address=6", "kvstore.throttle.registrations-per-address=2",
				"kvstore.kv.max-keys=3", "kvstore.kv.max-bytes=250", "kvstore.kv.ops-per-second=20" })
class AbuseLimitsApiTests {

	@Autowired
	ApiClient api;

	@Autowired
	StringRedisTemplate redis;

	@Autowired
	Tokens tokens;

	@Test
	void failedLoginsForOneUsernameFromOneAddressGet429UntilTheWindowEnds() {
		String address = address();
		ApiClient.Session user = register(address);
		for (int i = 0; i < 3; i++) {
			login(user.username(), "wrong-password", address).problem(401);
		}

		Response blocked = login(user.username(), "wrong-password", address);
		Response evenRight = login(user.username(), user.password(), address);

		assertLimited(blocked, "login_failures_per_user", 900);
		assertLimited(evenRight, "login_failures_per_user", 900);
		login(register(address).username(), "wrong-password", address).problem(401);
	}

	@Test
	void strangersGuessingAtAUsernameNeverLockTheOwnerOut() {
		ApiClient.Session user = register(address());
		String owner = address();
		for (int stranger = 0; stranger < 3; stranger++) {
			String address = address();
			for (int i = 0; i < 3; i++) {
				login(user.username(), "wrong-password", address).problem(401);
			}
			login(user.username(), "wrong-password", address).problem(429);
		}

		login(user.username(), user.password(), owner).ok(200);
	}

	@Test
	void wrongCurrentPasswordsOnProfileChangesAreThrottledLikeLogins() {
		String address = address();
		ApiClient.Session user = register(address);
		String change = "{\"email\":\"new-" + user.email() + "\",\"current_password\":\"wrong-password\"}";
		for (int i = 0; i < 3; i++) {
			this.api.send("PUT", "/api/v1/auth/me", user.accessToken(), change, "X-Forwarded-For", address)
				.problem(422);
		}

		Response blocked = this.api.send("PUT", "/api/v1/auth/me", user.accessToken(),
				change.replace("wrong-password", user.password()), "X-Forwarded-For", address);

		assertLimited(blocked, "login_failures_per_user", 900);
		assertThat(this.api.get("/api/v1/auth/me", user.accessToken()).ok(200).get("email").asString())
			.isEqualTo(user.email());
		login(user.username(), "wrong-password", address).problem(429);
	}

	@Test
	void aSuccessfulLoginClearsItsUsernamesFailures() {
		String address = address();
		ApiClient.Session user = register(address);
		login(user.username(), "wrong-password", address).problem(401);
		login(user.username(), "wrong-password", address).problem(401);
		login(user.username(), user.password(), address).ok(200);

		for (int i = 0; i < 3; i++) {
			login(user.username(), "wrong-password", address).problem(401);
		}
		login(user.username(), "wrong-password", address).problem(429);
	}

	@Test
	void failedLoginsFromOneAddressAcrossUsernamesGet429() {
		String address = address();
		for (int i = 0; i < 6; i++) {
			login(ApiClient.uniqueName(), "guess", address).problem(401);
		}

		assertLimited(login(ApiClient.uniqueName(), "guess", address), "login_failures_per_address", 900);
		login(ApiClient.uniqueName(), "guess", address()).problem(401);
	}

	@Test
	void registrationsFromOneAddressAreLimited() {
		String address = address();
		register(address);
		register(address);

		String name = ApiClient.uniqueName();
		Response third = this.api.send("POST", "/api/v1/auth/register", null,
				ApiClient.registration(name, name + "@example.com", "Passw0rd1"), "X-Forwarded-For", address);

		assertLimited(third, "registrations_per_address", 3600);
		register(address());
		login(name, "Passw0rd1", address()).problem(401);
	}

	@Test
	void keyQuotaRefusesTheWriteWholeWith403NamingTheLimit() {
		String token = register(address()).accessToken();
		this.api.post("/api/v1/kv", token, "{\"key\":\"a\",\"value\":1}").ok(201);
		this.api.post("/api/v1/kv", token, "{\"key\":\"b\",\"value\":1}").ok(201);

		JsonNode batch = this.api
			.post("/api/v1/kv/batch", token, "{\"items\":[{\"key\":\"c\",\"value\":1},{\"key\":\"d\",\"value\":1}]}")
			.problem(403);

		assertThat(batch.get("limit").asString()).isEqualTo("tenant_max_keys");
		this.api.get("/api/v1/kv/c", token).problem(404);
		assertThat(this.api.get("/api/v1/kv/stats/count", token).ok(200).get("count").asLong()).isEqualTo(2);
		this.api.post("/api/v1/kv", token, "{\"key\":\"c\",\"value\":1}").ok(201);
		this.api.post("/api/v1/kv", token, "{\"key\":\"d\",\"value\":1}").problem(403);
	}

	@Test
	void byteQuotaRefusesCreatesAndUpdatesThatWouldPassIt() {
		String token = register(address()).accessToken();
		// An entry "a" holding it costs 140 bytes of the 250: 64 for the entry,
		// 2 for its key, 2 for no tags, 72 for the value.
		String big = "x".repeat(70);
		this.api.post("/api/v1/kv", token, "{\"key\":\"a\",\"value\":\"" + big + "\"}").ok(201);

		JsonNode create = this.api.post("/api/v1/kv", token, "{\"key\":\"b\",\"value\":\"" + big + "\"}").problem(403);
		JsonNode update = this.api.put("/api/v1/kv/a", token, "{\"value\":\"" + "x".repeat(190) + "\"}").problem(403);

		assertThat(create.get("limit").asString()).isEqualTo("tenant_max_bytes");
		assertThat(update.get("limit").asString()).isEqualTo("tenant_max_bytes");
		assertThat(this.api.get("/api/v1/kv/a", token).ok(200).get("value").asString()).isEqualTo(big);
		this.api.delete("/api/v1/kv/a", token);
		this.api.post("/api/v1/kv", token, "{\"key\":\"b\",\"value\":\"" + big + "\"}").ok(201);
	}

	@Test
	void aTenantPastItsRateGets429WithRetryAfterAndOthersDoNot() {
		String token = register(address()).accessToken();
		this.api.post("/api/v1/kv", token, "{\"key\":\"a\",\"value\":1}").ok(201);

		Response limited = IntStream.range(0, 40)
			.mapToObj((i) -> this.api.get("/api/v1/kv/a", token))
			.filter((response) -> response.status() == 429)
			.findFirst()
			.orElseThrow(() -> new AssertionError("40 reads within about a second were never limited"));

		assertLimited(limited, "tenant_ops_per_second", 1);
		String other = register(address()).accessToken();
		this.api.get("/api/v1/kv/a", other).problem(404);
	}

	@Test
	void refreshRotatesAndAReusedTokenRevokesItsFamily() {
		ApiClient.Session user = register(address());
		JsonNode first = refresh(user.refreshToken()).ok(200);
		String next = first.get("refresh_token").asString();
		assertThat(next).isNotEqualTo(user.refreshToken());
		this.api.get("/api/v1/auth/me", first.get("access_token").asString()).ok(200);
		String latest = refresh(next).ok(200).get("refresh_token").asString();
		JsonNode otherDevice = login(user.username(), user.password(), address()).ok(200);

		refresh(user.refreshToken()).problem(401);

		refresh(latest).problem(401);
		refresh(otherDevice.get("refresh_token").asString()).ok(200);
		String auditor = otherDevice.get("access_token").asString();
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.api.get("/api/v1/audit?limit=100", auditor)
				.ok(200)
				.get("items")
				.valueStream()
				.anyMatch((event) -> event.get("operation").asString().equals("refresh_reuse")
						&& event.get("outcome").asString().equals("failure")));
	}

	@Test
	void theTokenJustReplacedGetsTheSamePairAgainWithinTheGraceWindow() {
		ApiClient.Session user = register(address());
		JsonNode first = refresh(user.refreshToken()).ok(200);

		JsonNode again = refresh(user.refreshToken()).ok(200);

		assertThat(again.get("refresh_token").asString()).isEqualTo(first.get("refresh_token").asString());
		assertThat(again.get("access_token").asString()).isEqualTo(first.get("access_token").asString());
		String lastRotation = RedisKeys.lastRotation(TenantId.parse(user.tenantId()),
				this.tokens.verify(user.refreshToken(), Tokens.Type.REFRESH).family());
		assertThat(this.redis.getExpire(lastRotation, TimeUnit.MILLISECONDS)).isBetween(1L, 5000L);
		assertThat(this.redis.opsForValue().get(lastRotation)).as("ids only, never a token")
			.doesNotContain(first.get("refresh_token").asString())
			.doesNotContain(first.get("access_token").asString());
		refresh(first.get("refresh_token").asString()).ok(200);
	}

	@Test
	void logoutEndsTheFamilyOfTheRotatedToken() {
		ApiClient.Session user = register(address());
		String next = refresh(user.refreshToken()).ok(200).get("refresh_token").asString();

		assertThat(this.api.post("/api/v1/auth/logout", null, "{\"refresh_token\":\"" + next + "\"}").status())
			.isEqualTo(204);

		refresh(next).problem(401);
	}

	private Response refresh(String refreshToken) {
		return this.api.post("/api/v1/auth/refresh", null, "{\"refresh_token\":\"" + refreshToken + "\"}");
	}

	private ApiClient.Session register(String address) {
		String name = ApiClient.uniqueName();
		String password = "Passw0rd" + ThreadLocalRandom.current().nextInt(1000);
		JsonNode body = this.api
			.send("POST", "/api/v1/auth/register", null, ApiClient.registration(name, name + "@example.com", password),
					"X-Forwarded-For", address)
			.ok(201);
		return new ApiClient.Session(body.get("tenant_id").asString(), body.get("access_token").asString(),
				body.get("refresh_token").asString(), name, name + "@example.com", password);
	}

	private Response login(String username, String password, String address) {
		return this.api.send("POST", "/api/v1/auth/login", null, ApiClient.login(username, password), "X-Forwarded-For",
				address);
	}

	private static void assertLimited(Response response, String limit, long maxRetryAfter) {
		JsonNode problem = response.problem(429);
		assertThat(problem.get("limit").asString()).isEqualTo(limit);
		assertThat(response.headers().firstValue("Retry-After").map(Long::parseLong))
			.hasValueSatisfying((seconds) -> assertThat(seconds).isBetween(1L, maxRetryAfter));
	}

	/** A client address of the calling test's own, outside the trusted proxy ranges. */
	private static String address() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		return "203.0.%d.%d".formatted(random.nextInt(256), 1 + random.nextInt(254));
	}

}
