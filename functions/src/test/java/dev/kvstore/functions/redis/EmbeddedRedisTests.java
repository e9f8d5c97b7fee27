package dev.kvstore.functions.redis;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.kvstore.RedisCluster;
import dev.kvstore.RedisProcess;
import dev.kvstore.functions.ApiClient;
import dev.kvstore.functions.ApiTest;
import dev.kvstore.functions.FunctionsApplication;
import dev.kvstore.kv.Change;
import dev.kvstore.kv.ChangeFeed;
import dev.kvstore.kv.WatchQuery;
import dev.kvstore.problem.ApiException;
import dev.kvstore.tenant.Caller;
import dev.kvstore.tenant.TenantId;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The one-command local run: no Redis configured, so a real redis-server starts embedded
 * and keeps its data on disk across restarts.
 */
@Tag(RedisCluster.OWN_REDIS)
class EmbeddedRedisTests {

	@TempDir
	Path dataDir;

	@Test
	void keepsKeysAcrossRestarts() throws IOException {
		int redisPort = freePort();
		ApiClient.Session session;
		try (ConfigurableApplicationContext app = start(redisPort)) {
			ApiClient api = client(app);
			session = api.register();
			api.post("/api/v1/kv", session.accessToken(), "{\"key\":\"kept\",\"value\":{\"a\":1}}").ok(201);
		}

		try (ConfigurableApplicationContext app = start(redisPort)) {
			ApiClient api = client(app);

			var entry = api.get("/api/v1/kv/kept", session.accessToken()).ok(200);

			assertThat(entry.get("value").get("a").asInt()).isEqualTo(1);
		}
		assertThat(this.dataDir).isNotEmptyDirectory();
	}

	/**
	 * Live watches on Redis 6.2: the change stream, its trimming and the resume checks
	 * use nothing newer.
	 */
	@Test
	void watchesAndResumesOnTheEmbeddedRedis() {
		try (ConfigurableApplicationContext app = start(freePort(), "--WATCH_KEPT_CHANGES=1")) {
			ApiClient api = client(app);
			ApiClient.Session session = api.register();
			Caller caller = Caller.system(new TenantId(UUID.fromString(session.tenantId())));
			ChangeFeed feed = app.getBean(ChangeFeed.class);
			List<Change> seen = new CopyOnWriteArrayList<>();
			feed.watch(caller, new WatchQuery(null, false, null)).block().subscribe(seen::add);

			String first = api.post("/api/v1/kv", session.accessToken(), "{\"key\":\"first\",\"value\":1}")
				.headers()
				.firstValue("ETag")
				.orElseThrow()
				.replace("\"", "");
			await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 1);
			// Each batch read before the next: the stream keeps 1 change and drops 100 at
			// a
			// time, so a watch that fell behind would end.
			for (int batch = 0; batch < 3; batch++) {
				api.post("/api/v1/kv/batch", session.accessToken(), batchOf(batch)).ok(201);
				int read = 1 + 100 * (batch + 1);
				await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == read);
			}

			assertThat(seen.getFirst().id()).isEqualTo(first);
			assertThatExceptionOfType(ApiException.Gone.class)
				.isThrownBy(() -> feed.watch(caller, new WatchQuery(null, false, first)).block());
			List<Change> resumed = feed.watch(caller, new WatchQuery(null, false, seen.get(299).id()))
				.block()
				.take(1)
				.collectList()
				.block(Duration.ofSeconds(10));
			assertThat(resumed).extracting(Change::id).containsExactly(seen.get(300).id());
		}
	}

	private static String batchOf(int batch) {
		StringJoiner items = new StringJoiner(",", "{\"items\":[", "]}");
		for (int i = 0; i < 100; i++) {
			items.add("{\"key\":\"k" + batch + "-" + i + "\",\"value\":1}");
		}
		return items.toString();
	}

	@Test
	void refusesToStartWithoutSecretKey() {
		assertThatException()
			.isThrownBy(() -> new SpringApplicationBuilder(FunctionsApplication.class).run("--server.port=0",
					"--spring.data.redis.host=localhost", "--SECRET_KEY=short"))
			.withRootCauseInstanceOf(IllegalArgumentException.class)
			.havingRootCause()
			.withMessage("SECRET_KEY must be set to a secret of at least 32 characters");
	}

	/**
	 * The app as the one-command local run starts it, with the default tenant rate on:
	 * the embedded Redis is 6.2, and the scripts' rate counter must work there too.
	 */
	private ConfigurableApplicationContext start(int redisPort, String... more) {
		List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--spring.data.redis.host=",
				"--kvstore.embedded-redis.port=" + redisPort, "--kvstore.embedded-redis.dir=" + this.dataDir,
				"--SECRET_KEY=" + ApiTest.SECRET, "--BCRYPT_STRENGTH=4", "--kvstore.kv.ops-per-second=1000"));
		arguments.addAll(List.of(more));
		return new SpringApplicationBuilder(FunctionsApplication.class).run(arguments.toArray(String[]::new));
	}

	private static ApiClient client(ConfigurableApplicationContext app) {
		return new ApiClient(((WebServerApplicationContext) app).getWebServer().getPort());
	}

	private static int freePort() {
		return RedisProcess.freePort();
	}

}
