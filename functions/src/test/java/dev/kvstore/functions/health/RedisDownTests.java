package dev.kvstore.functions.health;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Import;

import dev.kvstore.RedisCluster;
import dev.kvstore.auth.Tokens;
import dev.kvstore.functions.ApiClient;
import dev.kvstore.functions.ApiTest;
import dev.kvstore.tenant.TenantId;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With Redis unreachable (nothing listens on port 1) the probes tell, and every request
 * that needs Redis fails fast with 503 and Retry-After instead of hanging or answering
 * 500.
 */
@Tag(RedisCluster.OWN_REDIS)
@Import(ApiClient.Configuration.class)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.data.redis.host=127.0.0.1", "spring.data.redis.port=1", "SECRET_KEY=" + ApiTest.SECRET })
class RedisDownTests {

	@Autowired
	ApiClient api;

	@Autowired
	Tokens tokens;

	@Test
	void livenessStaysUpAndReadinessAnswers503() {
		assertThat(this.api.get("/health", null).ok(200).get("status").asString()).isEqualTo("healthy");
		this.api.get("/api/v1/health/live", null).ok(200);
		var report = this.api.get("/api/v1/health", null).ok(200);
		var ready = this.api.get("/api/v1/health/ready", null);

		assertThat(report.get("redis").get("status").asString()).isEqualTo("down");
		assertThat(report.get("status").asString()).isEqualTo("unhealthy");
		ready.problem(503);
		assertThat(ready.headers().firstValue("Retry-After")).hasValue("1");
	}

	@Test
	void answersStoreRequestsWith503() {
		String token = this.tokens.issue(TenantId.random(), Tokens.Type.ACCESS).token();

		this.api.get("/api/v1/kv/k", token).problem(503);
		this.api.post("/api/v1/kv", token, "{\"key\":\"k\",\"value\":1}").problem(503);
		this.api
			.post("/api/v1/auth/register", null,
					"{\"username\":\"someone\",\"email\":\"someone@example.com\",\"password\":\"Passw0rdX\"}")
			.problem(503);
	}

}
