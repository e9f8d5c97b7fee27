package dev.kvstore.functions.health;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;

import dev.kvstore.functions.ApiClient;
import dev.kvstore.functions.ApiTest;

import static org.assertj.core.api.Assertions.assertThat;

@ApiTest
class HealthTests {

	@LocalServerPort
	int port;

	@Test
	void reportsHealthyWithRedisUp() {
		ApiClient api = new ApiClient(this.port);

		var report = api.get("/api/v1/health", null).ok(200);

		assertThat(api.get("/health", null).ok(200).get("status").asString()).isEqualTo("healthy");
		assertThat(api.get("/api/v1/health/live", null).ok(200).get("status").asString()).isEqualTo("healthy");
		assertThat(api.get("/api/v1/health/ready", null).ok(200).get("status").asString()).isEqualTo("healthy");
		assertThat(report.get("status").asString()).isEqualTo("healthy");
		assertThat(report.get("redis").get("status").asString()).isEqualTo("up");
		assertThat(report.get("redis").get("latency_ms").asDouble()).isGreaterThanOrEqualTo(0);
	}

}
