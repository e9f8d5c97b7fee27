package dev.kvstore.functions.kv;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import dev.kvstore.functions.ApiClient;
import dev.kvstore.functions.ApiClient.Response;
import dev.kvstore.functions.ApiClient.Session;
import dev.kvstore.functions.ApiTest;
import dev.kvstore.json.ApiJson;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tenant with a valid token of its own reaches none of another tenant's keys, through
 * any key endpoint, whatever tenant id it names in the query, the headers or the body.
 */
@ApiTest
class TenantIsolationTests {

	/** Tenant A's keys and the JSON of their values. */
	private static final Map<String, String> A_KEYS;

	static {
		Map<String, String> keys = new LinkedHashMap<>();
		keys.put("plain", "\"a-plain\"");
		keys.put("user:42/profile", "{\"owner\":\"a\",\"n\":42}");
		keys.put("日本語/ключ:✓ é", "[\"a\",1,true]");
		keys.put("tagged", "{\"tagged\":\"a\"}");
		A_KEYS = keys;
	}

	private static final String A_TAG = "team:red-a";

	@Autowired
	ApiClient api;

	Session a;

	Session b;

	@BeforeEach
	void setUp() {
		this.a = this.api.register();
		this.b = this.api.register();
		A_KEYS
			.forEach((key, value) -> this.api
				.post("/api/v1/kv", this.a.accessToken(), "{\"key\":%s,\"value\":%s,\"ttl\":3600%s}"
					.formatted(quoted(key), value, key.equals("tagged") ? ",\"tags\":{\"team\":\"red-a\"}" : ""))
				.ok(201));
	}

	@Test
	void otherTenantCannotReadOrInspectKeys() {
		for (String key : A_KEYS.keySet()) {
			Response get = this.api.get(path(key), this.b.accessToken());
			Response exists = this.api.get(path(key) + "/exists", this.b.accessToken());
			Response ttl = this.api.get(path(key) + "/ttl", this.b.accessToken());

			assertThat(get.problem(404).get("detail").asString()).doesNotContain("a-plain").doesNotContain("owner");
			assertThat(exists.ok(200).get("exists").asBoolean()).as("exists %s", key).isFalse();
			ttl.problem(404);
		}
		assertTenantAUnchanged();
	}

	@Test
	void otherTenantCannotUpdateOrDeleteKeys() {
		for (String key : A_KEYS.keySet()) {
			Response put = this.api.put(path(key), this.b.accessToken(),
					"{\"value\":\"overwritten-by-b\",\"ttl\":null,\"tags\":{\"team\":\"blue\"}}");
			Response delete = this.api.delete(path(key), this.b.accessToken());

			put.problem(404);
			delete.problem(404);
		}
		assertThat(this.api.get("/api/v1/kv/stats/count", this.b.accessToken()).ok(200).get("count").asLong()).isZero();
		assertTenantAUnchanged();
	}

	@Test
	void otherTenantListsAndCountsOnlyItsOwnKeys() {
		this.api
			.post("/api/v1/kv", this.b.accessToken(),
					"{\"key\":\"b-only\",\"value\":\"b\",\"tags\":{\"team\":\"red-a\"}}")
			.ok(201);

		JsonNode page = this.api.get("/api/v1/kv?page=1&page_size=100", this.b.accessToken()).ok(200);
		JsonNode tagged = this.api
			.get("/api/v1/kv?page=1&page_size=100&tag_filter=" + encodedTag(), this.b.accessToken())
			.ok(200);
		JsonNode count = this.api.get("/api/v1/kv/stats/count", this.b.accessToken()).ok(200);

		assertThat(keys(page)).containsExactly("b-only");
		assertThat(page.get("total").asLong()).isEqualTo(1);
		assertThat(keys(tagged)).containsExactly("b-only");
		assertThat(tagged.get("total").asLong()).isEqualTo(1);
		assertThat(count.get("count").asLong()).isEqualTo(1);
		assertTenantAUnchanged();
	}

	@Test
	void otherTenantWithNoKeysListsNothing() {
		JsonNode page = this.api.get("/api/v1/kv?page=1&page_size=100", this.b.accessToken()).ok(200);
		JsonNode tagged = this.api.get("/api/v1/kv?tag_filter=" + encodedTag(), this.b.accessToken()).ok(200);

		assertThat(page.get("items")).isEmpty();
		assertThat(page.get("total").asLong()).isZero();
		assertThat(tagged.get("items")).isEmpty();
		assertThat(tagged.get("total").asLong()).isZero();
		assertThat(this.api.get("/api/v1/kv/stats/count", this.b.accessToken()).ok(200).get("count").asLong()).isZero();
	}

	@Test
	void sameKeyNameIsASeparateEntryPerTenant() {
		for (String key : A_KEYS.keySet()) {
			Response created = this.api.post("/api/v1/kv", this.b.accessToken(),
					"{\"key\":%s,\"value\":\"b-value\"}".formatted(quoted(key)));

			JsonNode entry = created.ok(201);
			assertThat(entry.get("key").asString()).isEqualTo(key);
			assertThat(entry.get("metadata").get("version").asLong()).isEqualTo(1);
			assertThat(this.api.get(path(key), this.b.accessToken()).ok(200).get("value").asString())
				.isEqualTo("b-value");
		}
		assertTenantAUnchanged();

		for (String key : A_KEYS.keySet()) {
			this.api.delete(path(key), this.b.accessToken()).ok(200);
		}
		assertThat(this.api.get("/api/v1/kv/stats/count", this.b.accessToken()).ok(200).get("count").asLong()).isZero();
		assertTenantAUnchanged();
	}

	@Test
	void batchWithOtherTenantsKeysCreatesInOwnNamespace() {
		List<String> items = new ArrayList<>();
		A_KEYS.keySet().forEach((key) -> items.add("{\"key\":%s,\"value\":\"b-batch\"}".formatted(quoted(key))));

		Response response = this.api.post("/api/v1/kv/batch", this.b.accessToken(),
				"{\"items\":[" + String.join(",", items) + "]}");

		JsonNode body = response.ok(201);
		assertThat(body.get("created").asInt()).isEqualTo(A_KEYS.size());
		assertThat(body.get("total").asInt()).isEqualTo(A_KEYS.size());
		for (String key : A_KEYS.keySet()) {
			assertThat(this.api.get(path(key), this.b.accessToken()).ok(200).get("value").asString())
				.isEqualTo("b-batch");
		}
		assertThat(this.api.get("/api/v1/kv/stats/count", this.b.accessToken()).ok(200).get("count").asLong())
			.isEqualTo(A_KEYS.size());
		assertTenantAUnchanged();
	}

	@Test
	void tenantNamedInQueryOrHeadersChangesNothing() {
		String query = "?tenant_id=" + this.a.tenantId() + "&tenant=" + this.a.tenantId();
		String[] headers = { "X-Tenant-ID", this.a.tenantId(), "X-Tenant", this.a.tenantId(), "kvstore_tenant",
				this.a.tenantId(), "Tenant-Id", this.a.tenantId() };

		for (String key : A_KEYS.keySet()) {
			this.api.send("GET", path(key) + query, this.b.accessToken(), null, headers).problem(404);
			this.api.send("GET", path(key) + "/ttl" + query, this.b.accessToken(), null, headers).problem(404);
			this.api.send("PUT", path(key) + query, this.b.accessToken(), "{\"value\":\"b\"}", headers).problem(404);
			this.api.send("DELETE", path(key) + query, this.b.accessToken(), null, headers).problem(404);
			JsonNode exists = this.api.send("GET", path(key) + "/exists" + query, this.b.accessToken(), null, headers)
				.ok(200);
			assertThat(exists.get("exists").asBoolean()).isFalse();
		}
		JsonNode page = this.api.send("GET", "/api/v1/kv" + query, this.b.accessToken(), null, headers).ok(200);
		JsonNode tagged = this.api
			.send("GET", "/api/v1/kv" + query + "&tag_filter=" + encodedTag(), this.b.accessToken(), null, headers)
			.ok(200);
		JsonNode count = this.api.send("GET", "/api/v1/kv/stats/count" + query, this.b.accessToken(), null, headers)
			.ok(200);

		assertThat(page.get("items")).isEmpty();
		assertThat(tagged.get("items")).isEmpty();
		assertThat(count.get("count").asLong()).isZero();
		assertTenantAUnchanged();
	}

	@Test
	void tenantNamedInBodyChangesNothing() {
		Response created = this.api.send("POST", "/api/v1/kv?tenant_id=" + this.a.tenantId(), this.b.accessToken(),
				"{\"key\":\"plain\",\"value\":\"b-value\",\"tenant_id\":\"%s\",\"tenant\":\"%s\"}"
					.formatted(this.a.tenantId(), this.a.tenantId()),
				"X-Tenant-ID", this.a.tenantId());
		Response batch = this.api.send("POST", "/api/v1/kv/batch", this.b.accessToken(),
				"{\"tenant_id\":\"%s\",\"items\":[{\"key\":\"tagged\",\"value\":\"b-value\",\"tenant_id\":\"%s\"}]}"
					.formatted(this.a.tenantId(), this.a.tenantId()),
				"X-Tenant-ID", this.a.tenantId());
		Response updated = this.api.send("PUT", path("plain"), this.b.accessToken(),
				"{\"value\":\"b-updated\",\"tenant_id\":\"%s\"}".formatted(this.a.tenantId()), "X-Tenant-ID",
				this.a.tenantId());

		created.ok(201);
		batch.ok(201);
		assertThat(updated.ok(200).get("metadata").get("version").asLong()).isEqualTo(2);
		assertThat(this.api.get(path("plain"), this.b.accessToken()).ok(200).get("value").asString())
			.isEqualTo("b-updated");
		assertThat(this.api.get("/api/v1/kv/stats/count", this.b.accessToken()).ok(200).get("count").asLong())
			.isEqualTo(2);
		assertTenantAUnchanged();
	}

	/**
	 * Tenant A sees exactly the keys it created, with their values, versions and tags.
	 */
	private void assertTenantAUnchanged() {
		String token = this.a.accessToken();
		for (Map.Entry<String, String> entry : A_KEYS.entrySet()) {
			JsonNode stored = this.api.get(path(entry.getKey()), token).ok(200);
			assertThat(stored.get("key").asString()).isEqualTo(entry.getKey());
			assertThat(stored.get("value")).as("value of %s", entry.getKey()).isEqualTo(json(entry.getValue()));
			assertThat(stored.get("metadata").get("version").asLong()).isEqualTo(1);
			assertThat(stored.get("metadata").get("ttl").asLong()).isEqualTo(3600);
			assertThat(this.api.get(path(entry.getKey()) + "/exists", token).ok(200).get("exists").asBoolean())
				.isTrue();
			assertThat(this.api.get(path(entry.getKey()) + "/ttl", token).ok(200).get("ttl").asLong()).isBetween(1L,
					3600L);
		}
		JsonNode page = this.api.get("/api/v1/kv?page=1&page_size=100", token).ok(200);
		assertThat(keys(page)).containsExactlyInAnyOrderElementsOf(A_KEYS.keySet());
		assertThat(page.get("total").asLong()).isEqualTo(A_KEYS.size());
		JsonNode tagged = this.api.get("/api/v1/kv?tag_filter=" + encodedTag(), token).ok(200);
		assertThat(keys(tagged)).containsExactly("tagged");
		assertThat(tagged.get("items").get(0).get("metadata").get("tags").get("team").asString()).isEqualTo("red-a");
		assertThat(this.api.get("/api/v1/kv/stats/count", token).ok(200).get("count").asLong())
			.isEqualTo(A_KEYS.size());
	}

	private static List<String> keys(JsonNode page) {
		List<String> keys = new ArrayList<>();
		page.get("items").forEach((item) -> keys.add(item.get("key").asString()));
		return keys;
	}

	private static String path(String key) {
		return "/api/v1/kv/" + ApiClient.key(key);
	}

	private static String encodedTag() {
		return ApiClient.key(A_TAG);
	}

	private static String quoted(String text) {
		return ApiJson.mapper().writeValueAsString(text);
	}

	private static JsonNode json(String text) {
		return ApiJson.mapper().readTree(text);
	}

}
