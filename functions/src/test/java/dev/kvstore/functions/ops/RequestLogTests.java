package dev.kvstore.functions.ops;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.kvstore.functions.ApiClient;
import dev.kvstore.functions.ApiTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The logs of a session of traffic: one line per request with its route, status, tenant
 * and request id, and never a value, a password, a token or an Authorization header.
 */
@ApiTest
@ExtendWith(OutputCaptureExtension.class)
class RequestLogTests {

	@Autowired
	ApiClient api;

	@Test
	void logsEachRequestWithoutSecrets(CapturedOutput output) {
		ApiClient.Session session = this.api.register();
		var login = this.api
			.post("/api/v1/auth/login", null,
					"{\"username\":\"" + session.username() + "\",\"password\":\"" + session.password() + "\"}")
			.ok(200);
		this.api.send("POST", "/api/v1/kv", session.accessToken(), "{\"key\":\"k\",\"value\":\"top-secret-value-42\"}",
				"X-Request-ID", "log-test-request-1");
		this.api.get("/api/v1/kv/k", session.accessToken()).ok(200);
		this.api.post("/api/v1/auth/login", null,
				"{\"username\":\"" + session.username() + "\",\"password\":\"Wrong-Passw0rd-77\"}");
		this.api.post("/api/v1/auth/refresh", null, "{\"refresh_token\":\"" + session.refreshToken() + "\"}");

		await().atMost(Duration.ofSeconds(5)).until(() -> output.getAll().contains("POST /api/v1/auth/refresh 200"));
		String logs = output.getAll();

		assertThat(logs).contains("POST /api/v1/kv 201", "GET /api/v1/kv/{key} 200", "POST /api/v1/auth/login 401");
		assertThat(logs).doesNotContain("top-secret-value-42", session.password(), "Wrong-Passw0rd-77",
				session.accessToken(), session.refreshToken(), login.get("access_token").asString(), "Bearer ");
	}

}
