package dev.kvstore.functions.http;

import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Import;

import dev.kvstore.functions.ApiClient;
import dev.kvstore.functions.ApiTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A body that does not arrive whole within the deadline is answered 408, and holds the
 * connection no longer.
 */
@Import(ApiClient.Configuration.class)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.data.redis.host=${REDIS_HOST:localhost}", "SECRET_KEY=" + ApiTest.SECRET,
				"BCRYPT_STRENGTH=4", "kvstore.http.body-read-timeout=1s" })
class SlowRequestTests {

	@Autowired
	ApiClient api;

	@Test
	void answersABodyThatStopsHalfWayWith408() throws Exception {
		try (var socket = new Socket("127.0.0.1", this.api.port())) {
			socket.setSoTimeout(10_000);
			socket.getOutputStream()
				.write(("POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
						+ "Content-Length: 100\r\n\r\n{\"username\":")
					.getBytes(StandardCharsets.US_ASCII));
			long start = System.nanoTime();

			String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

			assertThat(response).startsWith("HTTP/1.1 408")
				.contains("Content-Type: application/problem+json")
				.contains("did not arrive within 1 s");
			assertThat((System.nanoTime() - start) / 1_000_000).as("ms until the answer and close").isLessThan(5_000);
		}
	}

}
