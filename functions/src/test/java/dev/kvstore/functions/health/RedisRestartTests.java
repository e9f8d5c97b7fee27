package dev.kvstore.functions.health;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.kvstore.RedisCluster;
import dev.kvstore.RedisProcess;
import dev.kvstore.functions.ApiClient;
import dev.kvstore.functions.ApiTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis crashes and comes back, on a server of this test's own: while it is away every
 * request that needs it gets 503 with Retry-After at once (no thread waits for it) and
 * readiness says not ready; once it is back the same app serves again, with every write
 * it acknowledged before the crash.
 */
@Tag(RedisCluster.OWN_REDIS)
@Import(ApiClient.Configuration.class)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.data.redis.host=127.0.0.1", "SECRET_KEY=" + ApiTest.SECRET, "BCRYPT_STRENGTH=4" })
class RedisRestartTests {

	/**
	 * Far below the command timeout (2 s): a request that waited for Redis would miss it.
	 */
	private static final Duration FAIL_FAST = Duration.ofMillis(1500);

	private static final RedisProcess redis = RedisProcess.start();

	@Autowired
	ApiClient api;

	@DynamicPropertySource
	static void redisPort(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.port", redis::port);
	}

	@AfterAll
	static void stopRedis() {
		redis.close();
	}

	@Test
	void failsFastWhileRedisIsDownAndResumesWithEveryAcknowledgedWrite() throws Exception {
		ApiClient.Session session = this.api.register();
		String token = session.accessToken();
		this.api.post("/api/v1/kv", token, "{\"key\":\"kept\",\"value\":\"before the crash\"}").ok(201);
		this.api.put("/api/v1/kv/kept", token, "{\"value\":\"acknowledged\"}").ok(200);

		redis.kill();

		List<Timed> answers = concurrently(32, () -> this.api.get("/api/v1/kv/kept", token));
		assertThat(answers).allSatisfy((answer) -> {
			answer.response().problem(503);
			assertThat(answer.response().headers().firstValue("Retry-After")).hasValue("1");
			assertThat(answer.took()).isLessThan(FAIL_FAST);
		});
		this.api.post("/api/v1/kv", token, "{\"key\":\"other\",\"value\":1}").problem(503);
		this.api.get("/api/v1/health/ready", null).problem(503);
		this.api.get("/api/v1/health/live", null).ok(200);

		redis.restart();

		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> this.api.get("/api/v1/health/ready", null).ok(200));
		var kept = this.api.get("/api/v1/kv/kept", token).ok(200);
		assertThat(kept.get("value").asString()).isEqualTo("acknowledged");
		assertThat(kept.get("metadata").get("version").asLong()).isEqualTo(2);
		this.api.post("/api/v1/kv", token, "{\"key\":\"other\",\"value\":1}").ok(201);
	}

	private record Timed(ApiClient.Response response, Duration took) {
	}

	private static List<Timed> concurrently(int count, Callable<ApiClient.Response> request) {
		List<Future<Timed>> futures;
		try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
			futures = IntStream.range(0, count).mapToObj((i) -> threads.submit(() -> {
				long start = System.nanoTime();
				ApiClient.Response response = request.call();
				return new Timed(response, Duration.ofNanos(System.nanoTime() - start));
			})).toList();
		}
		return futures.stream().map(Future::resultNow).toList();
	}

}
