package dev.kvstore.functions.health;

import java.util.function.Supplier;

import reactor.core.publisher.Mono;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.dao.DataAccessException;

import dev.kvstore.problem.ApiException;

/**
 * {@code /health} and {@code /api/v1/health/live} need nothing; {@code /api/v1/health}
 * reports Redis; {@code /api/v1/health/ready} answers 503 while Redis cannot be reached.
 * The two that ask Redis block (a PING through the blocking template), so they run on
 * worker threads.
 */
@Configuration(proxyBeanMethods = false)
public class HealthFunctions {

	public record Health(String status) {

		static final Health HEALTHY = new Health("healthy");

		static final Mono<Health> ANSWER = Mono.just(HEALTHY);

	}

	public record Dependency(String status, Double latencyMs) {
	}

	public record Report(String status, Dependency redis) {
	}

	@Bean
	public Supplier<Mono<Health>> health() {
		return () -> Health.ANSWER;
	}

	@Bean
	public Supplier<Mono<Health>> liveness() {
		return () -> Health.ANSWER;
	}

	@Bean
	public Supplier<Report> healthDetails(RedisConnectionFactory redis) {
		return () -> {
			Dependency check = ping(redis);
			return new Report("up".equals(check.status()) ? "healthy" : "unhealthy", check);
		};
	}

	@Bean
	public Supplier<Health> readiness(RedisConnectionFactory redis) {
		return () -> {
			if (!"up".equals(ping(redis).status())) {
				throw new ApiException.Unavailable("Redis cannot be reached");
			}
			return Health.HEALTHY;
		};
	}

	private static Dependency ping(RedisConnectionFactory redis) {
		long start = System.nanoTime();
		try (RedisConnection connection = redis.getConnection()) {
			connection.ping();
			return new Dependency("up", Math.round((System.nanoTime() - start) / 10_000.0) / 100.0);
		}
		catch (DataAccessException ex) {
			return new Dependency("down", null);
		}
	}

}
