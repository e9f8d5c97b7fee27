package dev.kvstore.functions.health;

import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import dev.kvstore.TestRedis;
import dev.kvstore.problem.ApiException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The health function beans called directly, without Spring.
 */
class HealthFunctionsTests {

	private final HealthFunctions functions = new HealthFunctions();

	private final RedisConnectionFactory up = TestRedis.template().getConnectionFactory();

	@Test
	void reportsRedisUp() {
		assertThat(this.functions.health().get().block().status()).isEqualTo("healthy");
		assertThat(this.functions.liveness().get().block().status()).isEqualTo("healthy");
		assertThat(this.functions.readiness(this.up).get().status()).isEqualTo("healthy");
		assertThat(this.functions.healthDetails(this.up).get().redis().status()).isEqualTo("up");
	}

	@Test
	void reportsRedisDown() {
		LettuceConnectionFactory down = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", 1));
		down.afterPropertiesSet();
		down.start();
		try {
			assertThat(this.functions.healthDetails(down).get().redis().status()).isEqualTo("down");
			assertThatExceptionOfType(ApiException.Unavailable.class)
				.isThrownBy(() -> this.functions.readiness(down).get());
			assertThat(this.functions.liveness().get().block().status()).isEqualTo("healthy");
		}
		finally {
			down.destroy();
		}
	}

}
