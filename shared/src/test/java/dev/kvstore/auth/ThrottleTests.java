package dev.kvstore.auth;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.core.StringRedisTemplate;

import dev.kvstore.TestRedis;
import dev.kvstore.problem.ApiException;
import dev.kvstore.redis.RedisKeys;

import static org.assertj.core.api.Assertions.assertThat;
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
		this.redis.delete(RedisKeys.loginAttemptsOfUser(this.username));
		this.redis.delete(RedisKeys.loginAddressesOfUser(this.username));
	}

	@Test
	void limitsRegistrationsWithoutAnAddress() {
		this.throttle.registration("");
		this.throttle.registration(null);

		assertThatExceptionOfType(ApiException.RateLimited.class).isThrownBy(() -> this.throttle.registration(""));
	}

	/**
	 * Many addresses together: past the ceiling only the owner's known address may try.
	 */
	@Test
	void capsGuessesAtAUsernameFromManyAddressesButNotItsOwnersKnownAddress() {
		Throttle throttle = new Throttle(this.redis,
				new ThrottleSettings(2, 50, Duration.ofMinutes(1), 2, Duration.ofMinutes(1), 3));
		String owner = "198.51.100." + (System.nanoTime() % 200);
		throttle.passwordAttempt(this.username, owner).succeeded();
		for (int stranger = 1; stranger <= 3; stranger++) {
			throttle.passwordAttempt(this.username, "203.0.113." + stranger);
		}

		assertThatExceptionOfType(ApiException.RateLimited.class)
			.isThrownBy(() -> throttle.passwordAttempt(this.username, "203.0.113.99"))
			.satisfies((ex) -> assertThat(ex.limit()).isEqualTo("login_failures_per_user_total"));
		throttle.passwordAttempt(this.username, owner).succeeded();
	}

	@Test
	void countsAnIpv6ClientAsItsNetwork() {
		assertThat(Throttle.client("2001:db8:1:2:aaaa::1")).isEqualTo(Throttle.client("2001:db8:1:2:bbbb::7"))
			.isEqualTo("2001:db8:1:2::/64");
		assertThat(Throttle.client("2001:db8:1:3::1")).isNotEqualTo(Throttle.client("2001:db8:1:2::1"));
		assertThat(Throttle.client("192.0.2.1")).isEqualTo("192.0.2.1");
	}

	@Test
	void limitsPasswordChecksWithoutAnAddress() {
		this.throttle.passwordAttempt(this.username, "");
		this.throttle.passwordAttempt(this.username, "");

		assertThatExceptionOfType(ApiException.RateLimited.class)
			.isThrownBy(() -> this.throttle.passwordAttempt(this.username, ""));
	}

}
