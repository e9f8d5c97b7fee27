package dev.kvstore.functions.lambda;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.annotation.DirtiesContext;

import dev.kvstore.audit.AuditRelay;
import dev.kvstore.functions.ApiClient;
import dev.kvstore.functions.ApiTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SnapStart checkpoints a Lambda after start-up and restores it later, elsewhere: with
 * org.crac on the classpath Spring stops every Lifecycle bean before the checkpoint and
 * starts them after the restore. Driving that stop and start here shows that Redis
 * connections and the audit relay come back and requests work after it.
 */
@ApiTest
@DirtiesContext
class SnapStartLifecycleTests {

	@Autowired
	ConfigurableApplicationContext context;

	@Autowired
	AuditRelay relay;

	@Autowired
	ApiClient api;

	@Autowired
	LambdaPriming priming;

	@Test
	void servesRequestsAfterACheckpointAndRestore() {
		ApiClient.Session alice = this.api.register();
		this.api.post("/api/v1/kv", alice.accessToken(), "{\"key\":\"before\",\"value\":1}").ok(201);

		this.context.stop();
		assertThat(this.relay.isRunning()).isFalse();
		this.context.start();

		assertThat(this.relay.isRunning()).isTrue();
		assertThat(this.api.get("/api/v1/kv/before", alice.accessToken()).ok(200).get("value").asInt()).isEqualTo(1);
		this.api.post("/api/v1/kv", alice.accessToken(), "{\"key\":\"after\",\"value\":2}").ok(201);
	}

	/**
	 * What SnapStart's checkpoint runs first: requests through the dispatcher that answer
	 * without a server error and write nothing (no 201, no 204).
	 */
	@Test
	void primesTheRequestPathWithoutWritingAnything() {
		List<Integer> statuses = this.priming.prime();

		assertThat(statuses).hasSize(120).containsOnly(200, 401, 422);
		assertThat(statuses.subList(0, 6)).containsExactly(200, 401, 401, 422, 401, 422);
	}

}
