package dev.kvstore.functions.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;
import redis.embedded.RedisServer;

/**
 * When no Redis is configured (REDIS_HOST and spring.data.redis host, url and cluster
 * nodes all empty), starts a real redis-server (6.2, shipped in the embedded-redis jar)
 * on loopback, with an append-only file under {@code kvstore.embedded-redis.dir}, so a
 * restart keeps the keys.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedRedisConfiguration.NoRedisConfigured.class)
class EmbeddedRedisConfiguration {

	private static final Log logger = LogFactory.getLog(EmbeddedRedisConfiguration.class);

	@Bean(destroyMethod = "stop")
	RedisServer embeddedRedis(@Value("${kvstore.embedded-redis.port}") int port,
			@Value("${kvstore.embedded-redis.dir}") Path dir) throws IOException {
		Files.createDirectories(dir);
		RedisServer server = RedisServer.newRedisServer()
			.port(port)
			.bind("127.0.0.1")
			.setting("dir " + dir.toAbsolutePath())
			.setting("appendonly yes")
			.setting("appendfsync everysec")
			.setting("save \"\"")
			.onShutdownForceStop(true)
			.build();
		server.start();
		logger.info("No Redis configured: started an embedded redis-server on 127.0.0.1:" + port + " keeping data in "
				+ dir.toAbsolutePath());
		return server;
	}

	@Bean
	DataRedisConnectionDetails embeddedRedisConnection(RedisServer embeddedRedis,
			@Value("${kvstore.embedded-redis.port}") int port) {
		return new DataRedisConnectionDetails() {
			@Override
			public Standalone getStandalone() {
				return Standalone.of("127.0.0.1", port);
			}
		};
	}

	static class NoRedisConfigured implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			Environment env = context.getEnvironment();
			return !StringUtils.hasText(env.getProperty("spring.data.redis.host"))
					&& !StringUtils.hasText(env.getProperty("spring.data.redis.url"))
					&& !StringUtils.hasText(env.getProperty("spring.data.redis.cluster.nodes"));
		}

	}

}
