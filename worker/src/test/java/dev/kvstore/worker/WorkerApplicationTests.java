package dev.kvstore.worker;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

@WorkerTest
class WorkerApplicationTests {

	@Autowired
	FunctionCatalog functions;

	@LocalServerPort
	int port;

	@Test
	void servesBothFunctionsAndItsHealth() {
		assertThat((Object) this.functions.lookup("audit")).isNotNull();
		assertThat((Object) this.functions.lookup("ttlCleanup")).isNotNull();
		String health = RestClient.create("http://127.0.0.1:" + this.port)
			.get()
			.uri("/health")
			.retrieve()
			.body(String.class);
		assertThat(health).contains("\"status\":\"UP\"");
	}

}
