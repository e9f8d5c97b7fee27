package dev.kvstore.worker;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest
class WorkerApplicationTests {

	@Autowired
	StringRedisTemplate redis;

	@Test
	void startsAndReachesRedis() {
		assertThat(this.redis.getConnectionFactory().getConnection().ping()).isEqualTo("PONG");
	}

}
