package dev.kvstore.functions.audit;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import dev.kvstore.audit.AuditSink;
import dev.kvstore.audit.RabbitAuditSink;
import dev.kvstore.functions.ApiClient;
import dev.kvstore.functions.ApiClient.Session;
import dev.kvstore.functions.ApiTest;
import dev.kvstore.kv.ExpiredEntryCleanup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every change and security event reaches the tenant's own audit log (here in-process, as
 * in the one-command local run), without values, passwords or tokens.
 */
@ApiTest
class AuditApiTests {

	@Autowired
	ApiClient api;

	@Autowired
	ExpiredEntryCleanup cleanup;

	@Autowired
	ApplicationContext context;

	/** The local run: audit events go in-process, and no RabbitMQ client is even made. */
	@Test
	void runsWithoutAnyRabbitMqClientWhenNoBrokerIsConfigured() {
		assertThat(this.context.getBeanNamesForType(ConnectionFactory.class)).isEmpty();
		assertThat(this.context.getBean(AuditSink.class)).isNotInstanceOf(RabbitAuditSink.class);
	}

	@Test
	void recordsEveryChangeNewestFirstWithRequestContext() {
		Session alice = this.api.register();
		this.api.send("POST", "/api/v1/kv", alice.accessToken(), "{\"key\":\"k\",\"value\":\"secret-value-1\"}",
				"X-Request-ID", "req-create-1");
		this.api.put("/api/v1/kv/k", alice.accessToken(), "{\"value\":\"secret-value-2\"}").ok(200);
		this.api.post("/api/v1/kv/batch", alice.accessToken(), "{\"items\":[{\"key\":\"b\",\"value\":1}]}").ok(201);
		this.api.delete("/api/v1/kv/k", alice.accessToken()).ok(200);

		List<JsonNode> events = awaitEvents(alice, 5);

		assertThat(events).extracting((e) -> e.get("operation").asString())
			.containsExactly("delete", "batch", "update", "create", "register");
		assertThat(events).extracting((e) -> e.get("version").asInt(0)).containsExactly(2, 1, 2, 1, 0);
		JsonNode create = events.get(3);
		assertThat(create.get("key").asString()).isEqualTo("k");
		assertThat(create.get("tenant_id").asString()).isEqualTo(alice.tenantId());
		assertThat(create.get("outcome").asString()).isEqualTo("success");
		assertThat(create.get("request_id").asString()).isEqualTo("req-create-1");
		assertThat(create.get("client_address").asString()).isEqualTo("127.0.0.1");
		assertThat(create.get("event_id").asString()).isNotBlank();
		assertThat(create.get("timestamp").asString()).endsWith("Z");
	}

	@Test
	void recordsSecurityEventsWithoutSecrets() {
		Session alice = this.api.register();
		this.api
			.post("/api/v1/auth/login", null,
					"{\"username\":\"" + alice.username() + "\",\"password\":\"Wrong-passw0rd\"}")
			.problem(401);
		var login = this.api
			.post("/api/v1/auth/login", null,
					"{\"username\":\"" + alice.username() + "\",\"password\":\"" + alice.password() + "\"}")
			.ok(200);
		this.api.post("/api/v1/auth/refresh", null, "{\"refresh_token\":\"" + alice.refreshToken() + "\"}").ok(200);
		this.api.post("/api/v1/auth/logout", null, "{\"refresh_token\":\"" + alice.refreshToken() + "\"}");

		List<JsonNode> events = awaitEvents(alice, 5);
		String log = this.api.get("/api/v1/audit", alice.accessToken()).body();

		assertThat(events).extracting((e) -> e.get("operation").asString() + ":" + e.get("outcome").asString())
			.containsExactly("logout:success", "refresh:success", "login:success", "login:failure", "register:success");
		assertThat(log).doesNotContain(alice.password(), "Wrong-passw0rd", alice.accessToken(), alice.refreshToken(),
				login.get("access_token").asString());
	}

	@Test
	void showsEachTenantOnlyItsOwnEventsInPages() {
		Session alice = this.api.register();
		Session bob = this.api.register();
		for (int i = 0; i < 4; i++) {
			this.api.post("/api/v1/kv", alice.accessToken(), "{\"key\":\"k" + i + "\",\"value\":" + i + "}").ok(201);
		}
		awaitEvents(alice, 5);

		JsonNode first = this.api.get("/api/v1/audit?limit=2", alice.accessToken()).ok(200);
		JsonNode second = this.api
			.get("/api/v1/audit?limit=2&before=" + first.get("next").asString(), alice.accessToken())
			.ok(200);
		JsonNode bobs = this.api.get("/api/v1/audit", bob.accessToken()).ok(200);

		assertThat(first.get("items").valueStream().map((e) -> e.get("key").asString())).containsExactly("k3", "k2");
		assertThat(second.get("items").valueStream().map((e) -> e.get("key").asString())).containsExactly("k1", "k0");
		assertThat(bobs.get("items").valueStream().map((e) -> e.get("operation").asString()))
			.containsExactly("register");
		assertThat(bobs.get("next").isNull()).isTrue();
	}

	@Test
	void refusesBadPagingAndAnonymousCallers() {
		Session alice = this.api.register();

		this.api.get("/api/v1/audit?limit=0", alice.accessToken()).problem(422);
		this.api.get("/api/v1/audit?limit=501", alice.accessToken()).problem(422);
		this.api.get("/api/v1/audit?before=@@@", alice.accessToken()).problem(422);
		this.api.get("/api/v1/audit", null).problem(401);
	}

	@Test
	void recordsExpiryWhenCleanupRemovesAnEntry() {
		Session alice = this.api.register();
		this.api.post("/api/v1/kv", alice.accessToken(), "{\"key\":\"brief\",\"value\":1,\"ttl\":1}").ok(201);
		awaitEvents(alice, 2);

		await().atMost(Duration.ofSeconds(30)).until(() -> {
			this.cleanup.cleanExpired();
			return events(alice).stream().anyMatch((e) -> e.get("operation").asString().equals("expire"));
		});

		assertThat(events(alice).getFirst().get("key").asString()).isEqualTo("brief");
	}

	@Test
	void echoesValidRequestIdsAndReplacesOthers() {
		var given = this.api.send("GET", "/health", null, null, "X-Request-ID", "abc-123");
		var invalid = this.api.send("GET", "/health", null, null, "X-Request-ID", "bad id with spaces");

		assertThat(given.headers().allValues("X-Request-ID")).containsExactly("abc-123");
		assertThat(this.api.get("/openapi.json", null).headers().firstValue("X-Request-ID")).isPresent();
		assertThat(this.api.get("/metrics", null).headers().firstValue("X-Request-ID")).isPresent();
		String replaced = invalid.headers().firstValue("X-Request-ID").orElseThrow();
		assertThat(UUID.fromString(replaced).version()).as("a random (version 4) UUID").isEqualTo(4);
		assertThat(UUID.fromString(replaced).variant()).isEqualTo(2);
		assertThat(this.api.send("GET", "/health", null, null).headers().firstValue("X-Request-ID")).get()
			.isNotEqualTo(replaced);
	}

	private List<JsonNode> awaitEvents(Session session, int count) {
		await().atMost(Duration.ofSeconds(30)).until(() -> events(session).size() >= count);
		return events(session);
	}

	private List<JsonNode> events(Session session) {
		return this.api.get("/api/v1/audit?limit=100", session.accessToken())
			.ok(200)
			.get("items")
			.valueStream()
			.toList();
	}

}
