package dev.kvstore.auth;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.core.StringRedisTemplate;

import dev.kvstore.TestRedis;
import dev.kvstore.problem.ApiException;
import dev.kvstore.redis.RedisKeys;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Callers without a client address (outside a request, an edge that had none) are limited
 * too: they share one address.
 */
class ThrottleTests {

	private final StringRedisTemplate redis = TestRedis.template();

	private final Throttle throttle = new Throttle(this.redis,
			new ThrottleSettings(2, 3, Duration.ofMinutes(1), 2, Duration.ofMinutes(1)));

	private final String username = "throttled-" + System.nanoTime();

	@BeforeEach
	@AfterEach
	void forgetTheUnknownAddress() {
		this.redis.delete(RedisKeys.registrationsFrom(Throttle.UNKNOWN_ADDRESS));
		this.redis.delete(RedisKeys.loginAttemptsFrom(Throttle.UNKNOWN_ADDRESS));
		this.redis.delete(RedisKeys.loginAttemptsOfUser(this.username, Throttle.UNKNOWN_ADDRESS));
	}

	@Test
	void limitsRegistrationsWithoutAnAddress() {
		this.throttle.registration("");
		this.throttle.registration(null);

		assertThatExceptionOfType(ApiException.RateLimited.class).isThrownBy(() -> this.throttle.registration(""));
	}

	@Test
	void limitsPasswordChecksWithoutAnAddress() {
		this.throttle.passwordAttempt(this.username, "");
		this.throttle.passwordAttempt(this.username, "");

		assertThatExceptionOfType(ApiException.RateLimited.class)
			.isThrownBy(() -> this.throttle.passwordAttempt(this.username, ""));
	}

}
