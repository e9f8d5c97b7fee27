package dev.kvstore.functions.http;

import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;

import dev.kvstore.functions.ApiClient;
import dev.kvstore.functions.ApiTest;
import dev.kvstore.functions.dispatch.Dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Only the route table is reachable: Spring Cloud Function's own endpoints, which would
 * call any bean by name and skip the token check, are not.
 */
@ApiTest
class PublicSurfaceTests {

	@Autowired
	ApiClient api;

	@ParameterizedTest
	@ValueSource(strings = { "/createKey", "/functionRouter", "/getKey/x", "/register", "/countKeys" })
	void functionBeansAreNotReachableByName(String path) {
		String body = "{\"key\":\"x\",\"value\":1}";
		this.api.post(path, null, body).problem(404);
		this.api.get(path, null).problem(404);
		this.api.send("POST", path, null, body, "spring.cloud.function.definition", "createKey").problem(404);
	}

	@Test
	void allowsNoCrossOriginRequestsUnlessConfigured() {
		var preflight = this.api.send("OPTIONS", "/api/v1/kv", null, null, "Origin", "https://app.example",
				"Access-Control-Request-Method", "GET");
		var answer = this.api.send("GET", "/health", null, null, "Origin", "https://app.example");

		preflight.problem(405);
		assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
		assertThat(answer.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
	}

	@Test
	void answersUnknownMethodWithAllowHeader() {
		var response = this.api.send("PATCH", "/api/v1/kv/some-key", null, "{}");
		response.problem(405);
		assertThat(response.headers().firstValue("Allow")).hasValue("GET, PUT, DELETE");
	}

	@Test
	void answersAPathWithDotSegmentsWithProblem() throws Exception {
		try (var socket = new Socket("127.0.0.1", this.api.port())) {
			socket.getOutputStream()
				.write("GET /api/v1/kv/%00/../x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
					.getBytes(StandardCharsets.US_ASCII));
			String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

			assertThat(response).startsWith("HTTP/1.1 400")
				.contains("Content-Type: application/problem+json")
				.contains("\"status\":400")
				.doesNotContain("Tomcat")
				.doesNotContain("Netty")
				.doesNotContain("<html");
		}
	}

	@Test
	void answersAMalformedQueryStringWithProblem() throws Exception {
		String token = this.api.register().accessToken();
		try (var socket = new Socket("127.0.0.1", this.api.port())) {
			socket.getOutputStream()
				.write(("GET /api/v1/kv?page=%zz HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
						+ "\r\nConnection: close\r\n\r\n")
					.getBytes(StandardCharsets.US_ASCII));
			String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

			assertThat(response).startsWith("HTTP/1.1 400")
				.contains("Content-Type: application/problem+json")
				.contains("query string");
		}
	}

	/**
	 * The public account routes take credentials or a token: a body announced past their
	 * limit is refused before a byte of it is read (the 2 MB announced never come).
	 */
	@ParameterizedTest
	@ValueSource(
			strings = { "/api/v1/auth/register", "/api/v1/auth/login", "/api/v1/auth/refresh", "/api/v1/auth/logout" })
	void refusesAnAccountBodyPastItsLimitBeforeReadingIt(String path) throws Exception {
		try (var socket = new Socket("127.0.0.1", this.api.port())) {
			socket.setSoTimeout(10_000);
			socket.getOutputStream()
				.write(("POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
						+ "Content-Length: 2000000\r\nConnection: close\r\n\r\n{")
					.getBytes(StandardCharsets.US_ASCII));
			String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

			assertThat(response).startsWith("HTTP/1.1 413")
				.contains("Content-Type: application/problem+json")
				.contains("at most " + Dispatcher.ACCOUNT_BODY_LIMIT + " bytes");
		}
	}

	@Test
	void refusesAnAccountBodyPastItsLimitWhateverItsFraming() {
		String padding = "x".repeat(Dispatcher.ACCOUNT_BODY_LIMIT);
		String token = this.api.register().accessToken();

		this.api.post("/api/v1/auth/login", null, "{\"username\":\"" + padding + "\",\"password\":\"p\"}").problem(413);
		this.api.put("/api/v1/auth/me", token, "{\"email\":\"" + padding + "\",\"current_password\":\"p\"}")
			.problem(413);
		this.api.post("/api/v1/kv", token, "{\"key\":\"roomy\",\"value\":\"" + padding + "\"}").ok(201);
	}

	@Test
	void refusesDuplicateJsonFields() {
		String token = this.api.register().accessToken();

		this.api.post("/api/v1/kv", token, "{\"key\":\"a\",\"key\":\"b\",\"value\":1}").problem(400);
	}

	@Test
	void answersUnknownPathWithProblem() {
		this.api.get("/api/v2/kv", null).problem(404);
		this.api.get("/", null).problem(404);
	}

}
