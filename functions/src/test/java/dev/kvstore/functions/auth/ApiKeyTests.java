package dev.kvstore.functions.auth;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import dev.kvstore.functions.ApiClient;
import dev.kvstore.functions.ApiClient.Response;
import dev.kvstore.functions.ApiClient.Session;
import dev.kvstore.functions.ApiTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scoped API keys end to end: created with the account's token, their secret shown once;
 * each reads (and writes, if it may) only under its prefix, never the account's routes;
 * revoked, expired or orphaned, refused at once.
 */
@ApiTest
class ApiKeyTests {

	private static final String KEYS = "/api/v1/auth/api-keys";

	@Autowired
	ApiClient api;

	Session alice;

	@BeforeEach
	void setUp() {
		this.alice = this.api.register();
		this.api.post("/api/v1/kv/batch", this.alice.accessToken(),
				"{\"items\":[{\"key\":\"app/a\",\"value\":1},{\"key\":\"app/b\",\"value\":2},{\"key\":\"other\",\"value\":3}]}")
			.ok(201);
	}

	@Test
	void createsListsAndRevokesKeysWhoseSecretIsShownOnce() {
		JsonNode created = create("{\"name\":\"ci\",\"scopes\":[\"read\"]}").ok(201);
		String key = created.get("key").asString();
		String id = created.get("id").asString();

		String secretPrefix = "kvs_" + this.alice.tenantId() + "_" + id + "_";
		assertThat(key).startsWith(secretPrefix);
		assertThat(created.get("scopes").valueStream().map(JsonNode::asString)).containsExactly("read");
		assertThat(created.get("expires_at").isNull()).isTrue();
		String listed = this.api.get(KEYS, this.alice.accessToken()).body();
		assertThat(listed).contains(id, "\"ci\"").doesNotContain(key, key.substring(secretPrefix.length()));
		assertThat(this.api.get("/api/v1/kv/app%2Fa", key).ok(200).get("value").asInt()).isEqualTo(1);
		assertThat(this.api.send("GET", "/api/v1/kv/app%2Fa", null, null, "X-API-Key", key).status()).isEqualTo(200);

		assertThat(this.api.delete(KEYS + "/" + id, this.alice.accessToken()).status()).isEqualTo(204);
		this.api.get("/api/v1/kv/app%2Fa", key).problem(401);
		this.api.delete(KEYS + "/" + id, this.alice.accessToken()).problem(404);
	}

	@Test
	void aReadKeyReadsAndNeverWrites() {
		String key = create("{\"name\":\"reader\",\"scopes\":[\"read\"]}").ok(201).get("key").asString();

		this.api.post("/api/v1/kv/batch/get", key, "{\"keys\":[\"app/a\",\"other\"]}").ok(200);
		this.api.get("/api/v1/kv/stats/count", key).ok(200);
		this.api.put("/api/v1/kv/other", key, "{\"value\":9}").problem(403);
		this.api.post("/api/v1/kv", key, "{\"key\":\"new\",\"value\":1}").problem(403);
		this.api.delete("/api/v1/kv/other", key).problem(403);
		this.api.post("/api/v1/kv/batch/delete", key, "{\"keys\":[\"other\"]}").problem(403);

		assertThat(this.api.get("/api/v1/kv/other", this.alice.accessToken()).ok(200).get("value").asInt())
			.isEqualTo(3);
	}

	@Test
	void aPrefixedKeyTouchesAndSeesOnlyItsPrefix() {
		String key = create("{\"name\":\"app\",\"scopes\":[\"read\",\"write\"],\"prefix\":\"app/\"}").ok(201)
			.get("key")
			.asString();

		this.api.put("/api/v1/kv/app%2Fa", key, "{\"value\":10}").ok(200);
		this.api.post("/api/v1/kv", key, "{\"key\":\"app/c\",\"value\":1}").ok(201);
		this.api.get("/api/v1/kv/other", key).problem(403);
		this.api.post("/api/v1/kv", key, "{\"key\":\"outside\",\"value\":1}").problem(403);
		this.api.post("/api/v1/kv/batch/get", key, "{\"keys\":[\"app/a\",\"other\"]}").problem(403);
		this.api.get("/api/v1/kv?page=1", key).problem(403);
		this.api.get("/api/v1/kv?prefix=oth", key).problem(403);

		JsonNode walk = this.api.get("/api/v1/kv?limit=100", key).ok(200);
		assertThat(walk.get("items").valueStream().map((entry) -> entry.get("key").asString())).containsExactly("app/a",
				"app/b", "app/c");
		assertThat(this.api.get("/api/v1/kv/stats/count", key).ok(200).get("count").asInt()).isEqualTo(3);
		assertThat(this.api.get("/api/v1/kv/stats/count", this.alice.accessToken()).ok(200).get("count").asInt())
			.isEqualTo(4);
	}

	@Test
	void anApiKeyNeverReachesTheAccountItsKeysOrItsAudit() {
		String key = create("{\"name\":\"all\",\"scopes\":[\"read\",\"write\"]}").ok(201).get("key").asString();

		this.api.get("/api/v1/auth/me", key).problem(403);
		this.api.delete("/api/v1/auth/me", key).problem(403);
		this.api.post(KEYS, key, "{\"name\":\"more\",\"scopes\":[\"read\"]}").problem(403);
		this.api.get(KEYS, key).problem(403);
		this.api.get("/api/v1/audit", key).problem(403);
		this.api.get("/api/v1/auth/me", this.alice.accessToken()).ok(200);
	}

	@Test
	void auditEventsNameTheKeyThatActed() {
		JsonNode created = create("{\"name\":\"writer\",\"scopes\":[\"read\",\"write\"]}").ok(201);

		this.api.put("/api/v1/kv/other", created.get("key").asString(), "{\"value\":4}").ok(200);

		// Not there yet is an assertion failure, which the wait retries (an exception
		// would end it).
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.api.get("/api/v1/audit?limit=10", this.alice.accessToken())
				.ok(200)
				.get("items")
				.valueStream()
				.filter((event) -> event.get("operation").asString().equals("update"))
				.map((update) -> update.get("api_key").asString())).containsExactly(created.get("id").asString()));
	}

	@Test
	void refusesKeysThatAreForgedExpiredOrOfADeletedAccount() {
		String key = create("{\"name\":\"k\",\"scopes\":[\"read\"]}").ok(201).get("key").asString();
		String brief = create("{\"name\":\"brief\",\"scopes\":[\"read\"],\"expires_in\":1}").ok(201)
			.get("key")
			.asString();

		for (String forged : List.of("kvs_", "kvs_garbage", key.substring(0, key.length() - 4) + "AAAA",
				key.replace(this.alice.tenantId(), this.api.register().tenantId()))) {
			Response refused = this.api.get("/api/v1/kv/other", forged);
			refused.problem(401);
			assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValue("Bearer error=\"invalid_token\"");
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> this.api.get("/api/v1/kv/other", brief).status() == 401);
		this.api.get("/api/v1/kv/other", key).ok(200);
		this.api.delete("/api/v1/auth/me", this.alice.accessToken());
		this.api.get("/api/v1/kv/other", key).problem(401);
	}

	@Test
	void refusesBadRequestsAndKeysPastTheTenantsLimit() {
		create("{\"name\":\"x\",\"scopes\":[\"write\"]}").problem(422);
		create("{\"name\":\"x\",\"scopes\":[]}").problem(422);
		create("{\"scopes\":[\"read\"]}").problem(422);
		create("{\"name\":\"x\",\"scopes\":[\"read\"],\"expires_in\":0}").problem(422);
		create("{\"name\":\"brief\",\"scopes\":[\"read\"],\"expires_in\":1}").ok(201);
		for (int i = 1; i < 20; i++) {
			create("{\"name\":\"k" + i + "\",\"scopes\":[\"read\"]}").ok(201);
		}
		// Full; once the brief key has expired, it no longer counts.
		await().atMost(Duration.ofSeconds(10))
			.until(() -> create("{\"name\":\"in its place\",\"scopes\":[\"read\"]}").status() == 201);
		assertThat(create("{\"name\":\"one too many\",\"scopes\":[\"read\"]}").problem(403).get("limit").asString())
			.isEqualTo("tenant_max_api_keys");
	}

	private Response create(String json) {
		return this.api.post(KEYS, this.alice.accessToken(), json);
	}

}
