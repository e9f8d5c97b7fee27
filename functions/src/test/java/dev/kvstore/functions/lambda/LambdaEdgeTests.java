package dev.kvstore.functions.lambda;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What only the Lambda edge does: one endpoint per Lambda, base64 bodies, headers in any
 * case, and every failure answered with a status and problem+json rather than thrown to
 * the runtime.
 */
class LambdaEdgeTests {

	private static LambdaEvents getKeyOnly;

	private static LambdaEvents any;

	@BeforeAll
	static void startLambdas() {
		LambdaEvents.assumeSamples();
		getKeyOnly = LambdaEvents.start("httpApi", "getKey");
		any = LambdaEvents.start("httpApi", "");
	}

	@Test
	void servesOnlyItsOwnEndpoint() {
		String token = register(any);
		any.send("POST", "/api/v1/kv", token, "{\"key\":\"k\",\"value\":1}", Map.of()).status();

		var read = getKeyOnly.send("GET", "/api/v1/kv/k", token, null, Map.of());
		var delete = getKeyOnly.send("DELETE", "/api/v1/kv/k", token, null, Map.of());
		var register = getKeyOnly.send("POST", "/api/v1/auth/register", null,
				"{\"username\":\"someone_else\",\"email\":\"e@example.com\",\"password\":\"Passw0rdX\"}", Map.of());

		assertThat(read.status()).isEqualTo(200);
		assertThat(delete.status()).isEqualTo(404);
		assertThat(delete.body()).contains("serves getKey only");
		assertThat(register.status()).isEqualTo(404);
		assertThat(any.send("GET", "/api/v1/kv/k", token, null, Map.of()).status()).isEqualTo(200);
	}

	@Test
	void neverServesAnEventStream() {
		var watch = any.send("GET", "/api/v1/watch", register(any), null, Map.of("Accept", "text/event-stream"));

		assertThat(watch.status()).isEqualTo(404);
		assertThat(watch.body()).contains("HTTP service only");
	}

	@Test
	void decodesBase64BodiesAndReadsHeadersInAnyCase() {
		String token = register(any);
		String body = Base64.getEncoder()
			.encodeToString("{\"key\":\"b64\",\"value\":\"é\"}".getBytes(StandardCharsets.UTF_8));

		var created = any.sendBase64("POST", "/api/v1/kv", body, Map.of("AUTHORIZATION", "Bearer " + token));

		assertThat(created.status()).isEqualTo(201);
		assertThat(created.headers().get("content-type")).isEqualTo("application/json");
		assertThat(JsonMapper.shared().readTree(created.body()).get("value").asString()).isEqualTo("é");
	}

	@Test
	void answersConditionalRequestsWithTheirHeadersInAnyCase() {
		String token = register(any);
		var created = any.send("POST", "/api/v1/kv", token, "{\"key\":\"c\",\"value\":1}", Map.of());
		String etag = created.headers().get("ETag");

		var notModified = any.send("GET", "/api/v1/kv/c", token, null, Map.of("if-none-match", etag));
		var stale = any.send("PUT", "/api/v1/kv/c", token, "{\"value\":2}", Map.of("if-match", "\"old\""));
		var current = any.send("PUT", "/api/v1/kv/c", token, "{\"value\":2}", Map.of("IF-MATCH", etag));

		assertThat(etag).matches("\"[^\"]+\"");
		assertThat(notModified.status()).isEqualTo(304);
		assertThat(notModified.headers().get("ETag")).isEqualTo(etag);
		assertThat(stale.status()).isEqualTo(412);
		assertThat(current.status()).isEqualTo(200);
		assertThat(current.headers().get("ETag")).isNotEqualTo(etag);
	}

	@Test
	void answersBrokenInputWithProblemsNotExceptions() {
		var notBase64 = any.sendBase64("POST", "/api/v1/auth/login", "%%%not-base64", Map.of());
		var badEscape = any.send("GET", "/api/v1/kv/%zz", null, null, Map.of());
		var badQuery = any.send("GET", "/api/v1/kv?page=%zz", register(any), null, Map.of());

		assertThat(notBase64.status()).isEqualTo(400);
		assertThat(notBase64.headers().get("Content-Type")).isEqualTo("application/problem+json");
		assertThat(badEscape.status()).isEqualTo(400);
		assertThat(badQuery.status()).isEqualTo(400);
		assertThat(badQuery.body()).contains("query string");
	}

	private static String register(LambdaEvents lambda) {
		String name = "l" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
		var registered = lambda.send("POST", "/api/v1/auth/register", null,
				"{\"username\":\"" + name + "\",\"email\":\"" + name + "@example.com\",\"password\":\"Passw0rdX\"}",
				Map.of());
		assertThat(registered.status()).isEqualTo(201);
		return JsonMapper.shared().readTree(registered.body()).get("access_token").asString();
	}

}
