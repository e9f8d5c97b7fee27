package dev.kvstore.functions.health;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import dev.kvstore.functions.ApiClient;
import dev.kvstore.functions.ApiTest;

import static org.assertj.core.api.Assertions.assertThat;

@ApiTest
class HealthTests {

	@Autowired
	ApiClient api;

	@Test
	void reportsHealthyWithRedisUp() {
		var report = this.api.get("/api/v1/health", null).ok(200);

		assertThat(this.api.get("/health", null).ok(200).get("status").asString()).isEqualTo("healthy");
		assertThat(this.api.get("/api/v1/health/live", null).ok(200).get("status").asString()).isEqualTo("healthy");
		assertThat(this.api.get("/api/v1/health/ready", null).ok(200).get("status").asString()).isEqualTo("healthy");
		assertThat(report.get("status").asString()).isEqualTo("healthy");
		assertThat(report.get("redis").get("status").asString()).isEqualTo("up");
		assertThat(report.get("redis").get("latency_ms").asDouble()).isGreaterThanOrEqualTo(0);
	}

}
