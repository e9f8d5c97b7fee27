package dev.kvstore.functions.fuzz;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;

import dev.kvstore.functions.ApiClient;
import dev.kvstore.functions.ApiClient.Response;
import dev.kvstore.functions.ApiClient.Session;

import static dev.kvstore.functions.fuzz.Answers.check;
import static dev.kvstore.functions.fuzz.Answers.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bugs the property tests and the HTTP fuzzer found, each reduced to one request, which
 * now hold their fixes. Each states the rule it holds the API to, not the fix, so that
 * either fix (refuse the input, or keep it exactly) makes it pass.
 */
@FuzzTest
class FuzzFindingsTests {

	@Autowired
	ApiClient api;

	@Test
	void keyWithNulCharacterCanBeReadAndDeletedThroughItsPath() {
		Session tenant = this.api.register();

		Response created = this.api.post("/api/v1/kv", tenant.accessToken(), "{\"key\":\"a\\u0000b\",\"value\":1}");

		if (check(created) == 201) {
			expect(this.api.get("/api/v1/kv/a%00b", tenant.accessToken()), 200);
			expect(this.api.delete("/api/v1/kv/a%00b", tenant.accessToken()), 200);
		}
		else {
			expect(created, 422);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "POST /api/v1/kv", "POST /api/v1/kv/batch", "PUT /api/v1/kv/k" })
	void valueWithUnpairedSurrogateIsRefusedOrKeptExactly(String route) {
		Session tenant = this.api.register();
		expect(this.api.post("/api/v1/kv", tenant.accessToken(), "{\"key\":\"k\",\"value\":\"before\"}"), 201);
		String value = "\"x\\ud800y\"";

		Response response = switch (route) {
			case "POST /api/v1/kv" ->
				this.api.post("/api/v1/kv", tenant.accessToken(), "{\"key\":\"new\",\"value\":" + value + "}");
			case "POST /api/v1/kv/batch" -> this.api.post("/api/v1/kv/batch", tenant.accessToken(),
					"{\"items\":[{\"key\":\"new\",\"value\":" + value + "}]}");
			default -> this.api.put("/api/v1/kv/k", tenant.accessToken(), "{\"value\":" + value + "}");
		};

		String key = route.startsWith("PUT") ? "k" : "new";
		Response stored = this.api.get("/api/v1/kv/" + key, tenant.accessToken());
		if (check(response) < 300) {
			assertThat(expect(stored, 200).json().get("value")).isEqualTo(Answers.json(value));
		}
		else {
			assertThat(response.status()).isEqualTo(422);
			if (key.equals("new")) {
				expect(stored, 404);
			}
			else {
				assertThat(expect(stored, 200).json().get("value").asString()).isEqualTo("before");
			}
		}
	}

	@Test
	void passwordWithUnpairedSurrogateIsRefusedOrMatchedExactly() {
		String name = ApiClient.uniqueName();

		Response registered = this.api.post("/api/v1/auth/register", null,
				ApiClient.registration(name, name + "@example.com", "Passw0rd1\\ud800"));

		if (check(registered) == 201) {
			expect(this.api.post("/api/v1/auth/login", null, ApiClient.login(name, "Passw0rd1\\ud800")), 200);
			expect(this.api.post("/api/v1/auth/login", null, ApiClient.login(name, "Passw0rd1\\udfff")), 401);
			expect(this.api.post("/api/v1/auth/login", null, ApiClient.login(name, "Passw0rd1?")), 401);
		}
		else {
			expect(registered, 422);
		}
	}

	@Test
	void emailsDifferingOnlyInAnUnpairedSurrogateAreRefusedOrKeptApart() {
		String name = ApiClient.uniqueName();

		Response first = this.api.post("/api/v1/auth/register", null,
				ApiClient.registration(name, "a\\ud800" + name + "@example.com", "Passw0rd1"));
		Response second = this.api.post("/api/v1/auth/register", null,
				ApiClient.registration(name + "x", "a\\udfff" + name + "@example.com", "Passw0rd1"));

		if (check(first) == 201) {
			expect(second, 201);
		}
		else {
			expect(first, 422);
			expect(second, 422);
		}
	}

	@Test
	void malformedChunkedBodyIsA400NotA500AnsweredAs404() {
		Session tenant = this.api.register();
		byte[] request = ("POST /api/v1/kv HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + tenant.accessToken()
				+ "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
				+ "Connection: close\r\n\r\nzz\r\n{\"key\":\"k\",\"value\":1}\r\n0\r\n\r\n")
			.getBytes(StandardCharsets.ISO_8859_1);

		RawHttp.Exchange exchange = RawHttp.exchange(this.api.port(), request, false, 10_000);

		RawHttp.Response answer = exchange.answer().orElseThrow();
		assertThat(answer.status()).as(answer.bodyText()).isEqualTo(400);
		assertThat(Answers.mediaType(answer.header("Content-Type").orElse(""))).isEqualTo("application/problem+json");
	}

	@Test
	void traceIsRefusedWith405() {
		RawHttp.Exchange exchange = RawHttp.exchange(this.api.port(),
				"TRACE /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
					.getBytes(StandardCharsets.ISO_8859_1),
				false, 10_000);

		RawHttp.Response answer = exchange.answer().orElseThrow();
		assertThat(answer.status()).as(answer.bodyText()).isEqualTo(405);
	}

	@ParameterizedTest
	@ValueSource(strings = { "*/*", "application/*" })
	void wildcardContentTypeIsNotA500(String contentType) {
		Response response = this.api.send("GET", "/health", null, null, "Content-Type", contentType);

		assertThat(check(response)).isBetween(200, 499);
	}

	@ParameterizedTest
	@ValueSource(strings = { "CONNECT /health HTTP/1.1", "GET /health HTTP/2.0" })
	void serverRefusalsCarryAProblemOfTheirOwnStatus(String requestLine) {
		RawHttp.Exchange exchange = RawHttp.exchange(this.api.port(),
				(requestLine + "\r\nHost: localhost\r\nConnection: close\r\n\r\n")
					.getBytes(StandardCharsets.ISO_8859_1),
				false, 10_000);

		RawHttp.Response answer = exchange.answer().orElseThrow();
		assertThat(Answers.json(answer.bodyText()).get("status").asInt()).as(answer.bodyText())
			.isEqualTo(answer.status());
	}

	@ParameterizedTest
	@ValueSource(strings = { "POST /api/v1/auth/login {\"username\":\"x\",\"password\":\"y\",\"z\":1E2147483648}",
			"POST /api/v1/kv {\"key\":\"k\",\"value\":1e-2147483649}",
			"POST /api/v1/kv {\"key\":\"k\",\"value\":1,\"ttl\":1E99999999999999999999}" })
	void numberWithAnExponentBeyondAnIntIsA4xx(String request) {
		Session tenant = this.api.register();
		String[] parts = request.split(" ", 3);

		Response response = this.api.send(parts[0], parts[1], tenant.accessToken(), parts[2]);

		assertThat(check(response)).isBetween(400, 499);
	}

	@Test
	void brokenRequestLineGetsAStatusLineAfterAnHttp09Request() {
		RawHttp.exchange(this.api.port(), "GET /health\r\n".getBytes(StandardCharsets.ISO_8859_1), false, 10_000);

		RawHttp.Exchange exchange = RawHttp.exchange(this.api.port(),
				"GET /api/v1/kv/% 1 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
					.getBytes(StandardCharsets.ISO_8859_1),
				false, 10_000);

		RawHttp.Response answer = exchange.answer().orElseThrow();
		assertThat(answer.status()).as(answer.bodyText()).isEqualTo(400);
	}

}
