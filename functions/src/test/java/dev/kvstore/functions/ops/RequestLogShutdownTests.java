package dev.kvstore.functions.ops;

import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.kvstore.TestRedis;
import dev.kvstore.functions.ApiClient;
import dev.kvstore.functions.ApiTest;
import dev.kvstore.functions.FunctionsApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The request log is written by a thread of its own, off the request path; a clean
 * shutdown still writes every line of the requests it answered.
 */
@ExtendWith(OutputCaptureExtension.class)
class RequestLogShutdownTests {

	private static final int REQUESTS = 500;

	private static final Pattern REQUEST_LINE = Pattern.compile("GET /health 200 [0-9.]+ ms");

	@Test
	void aCleanShutdownLosesNoRequestLine(CapturedOutput output) {
		ConfigurableApplicationContext app = new SpringApplicationBuilder(FunctionsApplication.class).run(
				"--server.port=0", "--spring.data.redis.host=" + TestRedis.host(), "--SECRET_KEY=" + ApiTest.SECRET,
				"--BCRYPT_STRENGTH=4");
		ApiClient api = new ApiClient(((WebServerApplicationContext) app).getWebServer().getPort());
		int before = lines(output);

		for (int i = 0; i < REQUESTS; i++) {
			api.get("/health", null).ok(200);
		}
		app.close();

		assertThat(lines(output) - before).as("request lines written").isEqualTo(REQUESTS);
	}

	private static int lines(CapturedOutput output) {
		return (int) REQUEST_LINE.matcher(output.getAll()).results().count();
	}

}
