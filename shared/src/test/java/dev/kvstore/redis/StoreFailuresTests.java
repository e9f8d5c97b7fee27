package dev.kvstore.redis;

import io.lettuce.core.RedisCommandExecutionException;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.RedisSystemException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which Redis failures a client is told to retry (503) and which are ours (500).
 */
class StoreFailuresTests {

	/**
	 * Redis at its maxmemory with noeviction (which the store needs: an eviction policy
	 * would drop outboxes and entries silently) refuses writes: 503, never a 500.
	 */
	@Test
	void aFullStoreIsUnavailableNotAFault() {
		var full = new RedisSystemException("script failed",
				new RedisCommandExecutionException("OOM command not allowed when used memory > 'maxmemory'."));

		assertThat(StoreFailures.unavailable(full)).isNotNull()
			.satisfies((answer) -> assertThat(answer.getMessage()).contains("full"));
	}

	@Test
	void aScriptErrorIsOurs() {
		var bug = new RedisSystemException("script failed",
				new RedisCommandExecutionException("ERR user_script:1: attempt to call a nil value"));

		assertThat(StoreFailures.unavailable(bug)).isNull();
	}

	@Test
	void aFailoverIsTransient() {
		assertThat(StoreFailures
			.unavailable(new RedisCommandExecutionException("READONLY You can't write against a read only replica.")))
			.isNotNull();
	}

}
