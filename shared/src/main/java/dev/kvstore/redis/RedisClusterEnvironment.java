package dev.kvstore.redis;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * Switches both apps to Redis Cluster when {@code REDIS_CLUSTER_NODES}
 * ("host:port,host:port,...") is set. Spring Boot goes to cluster mode as soon as any
 * {@code spring.data.redis.cluster} property exists, even an empty one, so the mapping
 * cannot live in application.yaml with an empty default.
 */
public class RedisClusterEnvironment implements EnvironmentPostProcessor {

	static final String NODES = "REDIS_CLUSTER_NODES";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		String nodes = environment.getProperty(NODES);
		if (StringUtils.hasText(nodes) && !environment.containsProperty("spring.data.redis.cluster.nodes")) {
			environment.getPropertySources()
				.addLast(new MapPropertySource("redisClusterNodes", Map.of("spring.data.redis.cluster.nodes", nodes)));
		}
	}

}
