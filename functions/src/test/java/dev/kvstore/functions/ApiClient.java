package dev.kvstore.functions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntSupplier;

import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

import dev.kvstore.problem.ProblemType;
import dev.kvstore.json.ApiJson;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Talks to the running app over real HTTP. Paths are sent as written: encode keys with
 * {@link #key(String)}.
 */
public final class ApiClient {

	/**
	 * Long enough for any answer here; a request left unanswered fails instead of
	 * hanging.
	 */
	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

	private final IntSupplier port;

	public ApiClient(int port) {
		this(() -> port);
	}

	/** For a server whose port is known only once it has started. */
	public ApiClient(IntSupplier port) {
		this.port = port;
	}

	public int port() {
		return this.port.getAsInt();
	}

	/** The client of the app under test, as a bean: {@code @Autowired ApiClient api}. */
	@TestConfiguration(proxyBeanMethods = false)
	public static class Configuration {

		@Bean
		ApiClient apiClient(Environment environment) {
			return new ApiClient(() -> environment.getRequiredProperty("local.server.port", Integer.class));
		}

	}

	public record Response(int status, HttpHeaders headers, String body) {

		public JsonNode json() {
			return ApiJson.mapper().readTree(this.body);
		}

		public String contentType() {
			return this.headers.firstValue("Content-Type").orElse("");
		}

		/** Asserts an RFC 9457 answer with this status and returns its body. */
		public JsonNode problem(int expectedStatus) {
			assertThat(this.status).as("status of %s", this.body).isEqualTo(expectedStatus);
			assertThat(contentType()).isEqualTo("application/problem+json");
			JsonNode problem = json();
			assertThat(problem.get("status").asInt()).isEqualTo(expectedStatus);
			assertThat(problem.get("type").asString()).startsWith(ProblemType.PATH);
			assertThat(problem.get("title").asString()).isNotBlank();
			return problem;
		}

		public JsonNode ok(int expectedStatus) {
			assertThat(this.status).as("status of %s", this.body).isEqualTo(expectedStatus);
			return json();
		}

	}

	/** A registered user: its tenant, tokens and credentials. */
	public record Session(String tenantId, String accessToken, String refreshToken, String username, String email,
			String password) {
	}

	public Session register() {
		String name = uniqueName();
		String password = "Passw0rd" + ThreadLocalRandom.current().nextInt(1000);
		JsonNode body = post("/api/v1/auth/register", null, registration(name, name + "@example.com", password))
			.ok(201);
		return new Session(body.get("tenant_id").asString(), body.get("access_token").asString(),
				body.get("refresh_token").asString(), name, name + "@example.com", password);
	}

	/** A username no other test run has used. */
	public static String uniqueName() {
		return "user_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
	}

	/** The body of {@code POST /api/v1/auth/register}. */
	public static String registration(String username, String email, String password) {
		return "{\"username\":\"%s\",\"email\":\"%s\",\"password\":\"%s\"}".formatted(username, email, password);
	}

	/** The body of {@code POST /api/v1/auth/login}. */
	public static String login(String username, String password) {
		return "{\"username\":\"%s\",\"password\":\"%s\"}".formatted(username, password);
	}

	public Response get(String path, String token) {
		return send("GET", path, token, null);
	}

	public Response delete(String path, String token) {
		return send("DELETE", path, token, null);
	}

	public Response post(String path, String token, String json) {
		return send("POST", path, token, json);
	}

	public Response put(String path, String token, String json) {
		return send("PUT", path, token, json);
	}

	public Response send(String method, String path, String token, String json, String... headers) {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.port.getAsInt() + path))
			.timeout(TIMEOUT)
			.method(method,
					(json != null) ? HttpRequest.BodyPublishers.ofString(json) : HttpRequest.BodyPublishers.noBody());
		if (json != null) {
			request.header("Content-Type", "application/json");
		}
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		if (headers.length > 0) {
			request.headers(headers);
		}
		try {
			HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
			return new Response(response.statusCode(), response.headers(), response.body());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A key as a path segment: every byte outside unreserved characters percent-encoded.
	 */
	public static String key(String key) {
		StringBuilder encoded = new StringBuilder();
		for (byte b : key.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
			char c = (char) (b & 0xff);
			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
					|| c == '~') {
				encoded.append(c);
			}
			else {
				encoded.append('%').append(String.format("%02X", b & 0xff));
			}
		}
		return encoded.toString();
	}

}
