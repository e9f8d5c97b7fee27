package dev.kvstore.functions.redis;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.kvstore.RedisCluster;
import dev.kvstore.functions.ApiClient;
import dev.kvstore.functions.ApiTest;
import dev.kvstore.functions.FunctionsApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

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
	private ConfigurableApplicationContext start(int redisPort) {
		return new SpringApplicationBuilder(FunctionsApplication.class).run("--server.port=0",
				"--spring.data.redis.host=", "--kvstore.embedded-redis.port=" + redisPort,
				"--kvstore.embedded-redis.dir=" + this.dataDir, "--SECRET_KEY=" + ApiTest.SECRET, "--BCRYPT_STRENGTH=4",
				"--kvstore.kv.ops-per-second=1000");
	}

	private static ApiClient client(ConfigurableApplicationContext app) {
		return new ApiClient(((WebServerApplicationContext) app).getWebServer().getPort());
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
