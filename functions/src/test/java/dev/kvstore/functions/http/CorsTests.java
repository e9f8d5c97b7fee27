package dev.kvstore.functions.http;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Import;

import dev.kvstore.functions.ApiClient;
import dev.kvstore.functions.ApiClient.Response;
import dev.kvstore.functions.ApiTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cross-origin access for one allowed origin: preflights answered without a token, every
 * answer to that origin readable by its script, nothing for any other origin.
 */
@Import(ApiClient.Configuration.class)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.data.redis.host=${REDIS_HOST:localhost}", "SECRET_KEY=" + ApiTest.SECRET,
				"BCRYPT_STRENGTH=4", "CORS_ALLOWED_ORIGINS=https://app.example, https://admin.example" })
class CorsTests {

	private static final String APP = "https://app.example";

	@Autowired
	ApiClient api;

	@Test
	void answersAPreflightFromAnAllowedOriginWithoutAToken() {
		Response preflight = preflight(APP, "/api/v1/kv/some%2Fkey", "PUT");

		assertThat(preflight.status()).isEqualTo(204);
		assertThat(header(preflight, "Access-Control-Allow-Origin")).isEqualTo(APP);
		assertThat(header(preflight, "Access-Control-Allow-Methods")).contains("GET", "PUT", "DELETE");
		assertThat(header(preflight, "Access-Control-Allow-Headers")).contains("Authorization", "If-Match",
				"Content-Type");
		assertThat(header(preflight, "Vary")).contains("Origin");
		assertThat(preflight.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
	}

	@Test
	void letsTheAllowedOriginReadEveryAnswerAndItsHeaders() {
		String token = this.api.register().accessToken();

		Response created = this.api.send("POST", "/api/v1/kv", token, "{\"key\":\"k\",\"value\":1}", "Origin", APP);
		Response refused = this.api.send("GET", "/api/v1/kv/k", null, null, "Origin", APP);

		assertThat(created.status()).isEqualTo(201);
		assertThat(refused.status()).isEqualTo(401);
		for (Response answer : new Response[] { created, refused }) {
			assertThat(header(answer, "Access-Control-Allow-Origin")).isEqualTo(APP);
			assertThat(header(answer, "Access-Control-Expose-Headers")).contains("ETag", "X-Request-ID", "Retry-After");
			assertThat(header(answer, "Vary")).isEqualTo("Origin");
		}
	}

	@Test
	void givesAnyOtherOriginNothing() {
		Response preflight = preflight("https://evil.example", "/api/v1/kv", "POST");
		Response answer = this.api.send("GET", "/health", null, null, "Origin", "https://evil.example");

		assertThat(preflight.problem(403).get("detail").asString()).contains("https://evil.example");
		assertThat(answer.status()).isEqualTo(200);
		assertThat(answer.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
	}

	@Test
	void answersAPreflightForAPathWithNoRouteWith404() {
		preflight(APP, "/api/v1/nothing", "GET").problem(404);
	}

	private Response preflight(String origin, String path, String method) {
		return this.api.send("OPTIONS", path, null, null, "Origin", origin, "Access-Control-Request-Method", method);
	}

	private static String header(Response response, String name) {
		return response.headers().firstValue(name).orElse("");
	}

}
