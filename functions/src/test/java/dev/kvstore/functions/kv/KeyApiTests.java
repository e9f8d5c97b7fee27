package dev.kvstore.functions.kv;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import dev.kvstore.functions.ApiClient;
import dev.kvstore.functions.ApiClient.Session;
import dev.kvstore.functions.ApiTest;
import dev.kvstore.json.ApiJson;

import static dev.kvstore.functions.ApiClient.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every key endpoint over HTTP against the real Redis, with its success and error
 * answers.
 */
@ApiTest
class KeyApiTests {

	@Autowired
	ApiClient api;

	Session alice;

	@BeforeEach
	void setUp() {
		this.alice = this.api.register();
	}

	@Test
	void createsAndReadsKeyWithMetadata() {
		Instant before = Instant.now().minusSeconds(1);

		JsonNode created = create("{\"key\":\"user:123:profile\",\"value\":\"John Doe\",\"ttl\":3600,"
				+ "\"tags\":{\"category\":\"user\",\"type\":\"profile\"}}")
			.ok(201);
		JsonNode read = get("user:123:profile").ok(200);

		assertThat(read).isEqualTo(created);
		assertThat(read.get("key").asString()).isEqualTo("user:123:profile");
		assertThat(read.get("value").asString()).isEqualTo("John Doe");
		JsonNode metadata = read.get("metadata");
		assertThat(metadata.get("version").asLong()).isEqualTo(1);
		assertThat(metadata.get("ttl").asLong()).isEqualTo(3600);
		assertThat(metadata.get("tags").get("category").asString()).isEqualTo("user");
		Instant createdAt = Instant.parse(metadata.get("created_at").asString());
		assertThat(createdAt).isAfter(before);
		assertThat(metadata.get("updated_at").asString()).isEqualTo(metadata.get("created_at").asString());
		assertThat(Instant.parse(metadata.get("expires_at").asString())).isEqualTo(createdAt.plusSeconds(3600));
	}

	@Test
	void keyWithoutTtlNeverExpires() {
		JsonNode created = create("{\"key\":\"forever\",\"value\":1}").ok(201);

		assertThat(created.get("metadata").get("ttl").isNull()).isTrue();
		assertThat(created.get("metadata").get("expires_at").isNull()).isTrue();
		assertThat(this.api.get("/api/v1/kv/forever/ttl", token()).ok(200).get("ttl").isNull()).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "\"text with \\\"quotes\\\" and \\u00e9\"", "0", "-17", "1.10", "12345678901234567890123",
			"3.141592653589793238462643383279", "1E+400", "true", "false", "null", "[]", "{}",
			"{\"nested\":{\"list\":[1,\"two\",null,{\"x\":false}]}}", "[1,[2,[3,[4]]]]" })
	void roundTripsAnyJsonValueUnchanged(String value) {
		create("{\"key\":\"v\",\"value\":" + value + "}").ok(201);

		String body = get("v").body();

		assertThat(body).contains("\"value\":" + compact(value) + ",\"metadata\"");
	}

	@ParameterizedTest
	@ValueSource(strings = { "a/b", "/leading", "trailing/", "with space", "x:y", "*", "{tenant}", "ünïcødé 🔑", "%",
			"%2F", "?#&=+", "..", ".", "stats", "batch", "a\\b", "tab\there" })
	void acceptsKeysOfAnyCharacters(String key) {
		String json = "{\"key\":" + quoted(key) + ",\"value\":\"v\"}";
		create(json).ok(201);

		assertThat(get(key).ok(200).get("key").asString()).isEqualTo(key);
		assertThat(this.api.get("/api/v1/kv/" + key(key) + "/exists", token()).ok(200).get("exists").asBoolean())
			.isTrue();
		assertThat(listKeys("/api/v1/kv")).containsExactly(key);
		this.api.delete("/api/v1/kv/" + key(key), token()).ok(200);
		get(key).problem(404);
	}

	@Test
	void keyNamedLikeAnotherKeysMetadataCannotTouchIt() {
		create("{\"key\":\"x\",\"value\":\"plain\",\"tags\":{\"t\":\"1\"}}").ok(201);

		create("{\"key\":\"x:metadata\",\"value\":{\"version\":99}}").ok(201);
		create("{\"key\":\"x:tag:t:1\",\"value\":\"y\"}").ok(201);
		this.api.delete("/api/v1/kv/" + key("x:metadata"), token()).ok(200);

		JsonNode x = get("x").ok(200);
		assertThat(x.get("value").asString()).isEqualTo("plain");
		assertThat(x.get("metadata").get("version").asLong()).isEqualTo(1);
		assertThat(listKeys("/api/v1/kv?tag_filter=t:1")).containsExactly("x");
	}

	@Test
	void refusesExistingKeyWith409() {
		create("{\"key\":\"k\",\"value\":1}").ok(201);

		JsonNode problem = create("{\"key\":\"k\",\"value\":2}").problem(409);

		assertThat(problem.get("keys").get(0).asString()).isEqualTo("k");
		assertThat(get("k").ok(200).get("value").asInt()).isEqualTo(1);
	}

	@Test
	void refusesEmptyAndOverlongKeysWith422() {
		create("{\"key\":\"\",\"value\":1}").problem(422);
		create("{\"key\":\"" + "k".repeat(257) + "\",\"value\":1}").problem(422);
		this.api.get("/api/v1/kv/" + "k".repeat(257), token()).problem(422);
		this.api.get("/api/v1/kv/", token()).problem(422);

		create("{\"key\":\"" + "k".repeat(256) + "\",\"value\":1}").ok(201);
		create("{\"key\":\"" + "🔑".repeat(256) + "\",\"value\":1}").ok(201);
	}

	@Test
	void refusesValueOverTwoMebibytesWith413() {
		String limit = "x".repeat(2 * 1024 * 1024 - 2);

		create("{\"key\":\"big\",\"value\":\"" + limit + "\"}").ok(201);
		create("{\"key\":\"bigger\",\"value\":\"" + limit + "x\"}").problem(413);
		create("{\"key\":\"huge\",\"value\":\"" + limit.repeat(2) + "\"}").problem(413);
		this.api.put("/api/v1/kv/big", token(), "{\"value\":\"" + limit + "x\"}").problem(413);

		assertThat(get("big").ok(200).get("value").asString()).hasSize(limit.length());
		get("bigger").problem(404);
	}

	@Test
	void refusesMalformedJsonWith400AndWrongShapesWith422() {
		create("{\"key\":\"k\",").problem(400);
		create("not json").problem(400);
		create("[{\"key\":\"k\",\"value\":1}]").problem(400);
		create("{\"key\":\"k\"}").problem(422);
		create("{\"value\":1}").problem(422);
		create("{\"key\":7,\"value\":1}").problem(422);
		create("{\"key\":\"k\",\"value\":1,\"ttl\":\"soon\"}").problem(422);
		create("{\"key\":\"k\",\"value\":1,\"ttl\":1.5}").problem(422);
		create("{\"key\":\"k\",\"value\":1,\"ttl\":0}").problem(422);
		create("{\"key\":\"k\",\"value\":1,\"ttl\":-5}").problem(422);
		create("{\"key\":\"k\",\"value\":1,\"ttl\":99999999999999999999}").problem(422);
		create("{\"key\":\"k\",\"value\":1,\"tags\":[\"a\"]}").problem(422);
		create("{\"key\":\"k\",\"value\":1,\"tags\":{\"a\":1}}").problem(422);
		create("{\"key\":\"k\",\"value\":1,\"tags\":{\"a:b\":\"c\"}}").problem(422);
		create("{\"key\":\"k\",\"value\":1,\"tags\":{\"a\":\"" + "v".repeat(129) + "\"}}").problem(422);
		create("{\"key\":\"k\",\"value\":" + "[".repeat(100) + "]".repeat(100) + "}").problem(400);

		assertThat(this.api.get("/api/v1/kv/stats/count", token()).ok(200).get("count").asLong()).isZero();
	}

	@Test
	void refusesMoreThan32Tags() {
		StringBuilder tags = new StringBuilder();
		IntStream.range(0, 33).forEach((i) -> tags.append(i == 0 ? "" : ",").append("\"t" + i + "\":\"v\""));

		create("{\"key\":\"k\",\"value\":1,\"tags\":{" + tags + "}}").problem(422);
	}

	@Test
	void updateBumpsVersionAndKeepsWhatItLeavesOut() {
		create("{\"key\":\"k\",\"value\":\"one\",\"ttl\":600,\"tags\":{\"a\":\"1\"}}").ok(201);

		JsonNode valueOnly = this.api.put("/api/v1/kv/k", token(), "{\"value\":\"two\"}").ok(200);
		JsonNode tagsOnly = this.api.put("/api/v1/kv/k", token(), "{\"tags\":{\"b\":\"2\"}}").ok(200);
		JsonNode noExpiry = this.api.put("/api/v1/kv/k", token(), "{\"ttl\":null}").ok(200);
		JsonNode nullValue = this.api.put("/api/v1/kv/k", token(), "{\"value\":null}").ok(200);

		assertThat(valueOnly.get("value").asString()).isEqualTo("two");
		assertThat(valueOnly.get("metadata").get("version").asLong()).isEqualTo(2);
		assertThat(valueOnly.get("metadata").get("ttl").asLong()).isEqualTo(600);
		assertThat(valueOnly.get("metadata").get("tags").get("a").asString()).isEqualTo("1");
		assertThat(tagsOnly.get("value").asString()).isEqualTo("two");
		assertThat(tagsOnly.get("metadata").get("tags").properties()).hasSize(1);
		assertThat(listKeys("/api/v1/kv?tag_filter=a:1")).isEmpty();
		assertThat(listKeys("/api/v1/kv?tag_filter=b:2")).containsExactly("k");
		assertThat(noExpiry.get("metadata").get("expires_at").isNull()).isTrue();
		assertThat(noExpiry.get("metadata").get("ttl").isNull()).isTrue();
		assertThat(nullValue.get("value").isNull()).isTrue();
		assertThat(nullValue.get("metadata").get("version").asLong()).isEqualTo(5);
		assertThat(get("k").ok(200)).isEqualTo(nullValue);
	}

	@Test
	void updateSetsNewExpiryFromNow() {
		create("{\"key\":\"k\",\"value\":1}").ok(201);

		JsonNode updated = this.api.put("/api/v1/kv/k", token(), "{\"ttl\":120}").ok(200);

		Instant updatedAt = Instant.parse(updated.get("metadata").get("updated_at").asString());
		assertThat(Instant.parse(updated.get("metadata").get("expires_at").asString()))
			.isEqualTo(updatedAt.plusSeconds(120));
		assertThat(this.api.get("/api/v1/kv/k/ttl", token()).ok(200).get("ttl").asLong()).isBetween(118L, 120L);
	}

	@Test
	void answers404ForMissingKeys() {
		get("missing").problem(404);
		this.api.put("/api/v1/kv/missing", token(), "{\"value\":1}").problem(404);
		this.api.delete("/api/v1/kv/missing", token()).problem(404);
		this.api.get("/api/v1/kv/missing/ttl", token()).problem(404);
		assertThat(this.api.get("/api/v1/kv/missing/exists", token()).ok(200).get("exists").asBoolean()).isFalse();
	}

	@Test
	void deletesKey() {
		create("{\"key\":\"k\",\"value\":1,\"tags\":{\"a\":\"1\"}}").ok(201);

		JsonNode deleted = this.api.delete("/api/v1/kv/k", token()).ok(200);

		assertThat(deleted.get("message").asString()).isEqualTo("Key deleted successfully");
		get("k").problem(404);
		assertThat(listKeys("/api/v1/kv?tag_filter=a:1")).isEmpty();
		assertThat(this.api.get("/api/v1/kv/stats/count", token()).ok(200).get("count").asLong()).isZero();
		create("{\"key\":\"k\",\"value\":2}").ok(201);
	}

	@Test
	void listsKeysOrderedByKeyInStablePages() {
		List<String> keys = new ArrayList<>();
		for (int i = 0; i < 25; i++) {
			keys.add("key-%02d".formatted(24 - i));
		}
		batch(keys).ok(201);

		JsonNode first = this.api.get("/api/v1/kv?page=1&page_size=10", token()).ok(200);
		JsonNode third = this.api.get("/api/v1/kv?page=3&page_size=10", token()).ok(200);
		JsonNode beyond = this.api.get("/api/v1/kv?page=4&page_size=10", token()).ok(200);

		assertThat(first.get("total").asLong()).isEqualTo(25);
		assertThat(first.get("page").asInt()).isEqualTo(1);
		assertThat(first.get("page_size").asInt()).isEqualTo(10);
		assertThat(first.get("items").valueStream().map((e) -> e.get("key").asString()))
			.containsExactlyElementsOf(keys.reversed().subList(0, 10));
		assertThat(third.get("items").valueStream().map((e) -> e.get("key").asString())).containsExactly("key-20",
				"key-21", "key-22", "key-23", "key-24");
		assertThat(beyond.get("items")).isEmpty();
		assertThat(listKeys("/api/v1/kv")).hasSize(20);
		assertThat(first.has("next_offset")).as("a page not cut short by its size").isFalse();
	}

	@Test
	void listsKeysAndMetadataWithoutValuesFromAnyOffset() {
		create("{\"key\":\"a\",\"value\":{\"big\":\"" + "x".repeat(1000) + "\"},\"tags\":{\"t\":\"1\"}}").ok(201);
		create("{\"key\":\"b\",\"value\":2}").ok(201);
		create("{\"key\":\"c\",\"value\":3}").ok(201);

		JsonNode page = this.api.get("/api/v1/kv?keys_only=true&offset=1&page_size=5", token()).ok(200);

		assertThat(page.get("items").valueStream().map((e) -> e.get("key").asString())).containsExactly("b", "c");
		assertThat(page.get("items")).allSatisfy((entry) -> {
			assertThat(entry.has("value")).isFalse();
			assertThat(entry.get("metadata").get("version").asLong()).isEqualTo(1);
		});
		assertThat(this.api.get("/api/v1/kv?keys_only=true", token())
			.ok(200)
			.get("items")
			.get(0)
			.get("metadata")
			.get("tags")
			.get("t")
			.asString()).isEqualTo("1");
		this.api.get("/api/v1/kv?offset=-1", token()).problem(422);
		this.api.get("/api/v1/kv?keys_only=maybe", token()).problem(422);
	}

	@Test
	void filtersListByTag() {
		create("{\"key\":\"a\",\"value\":1,\"tags\":{\"category\":\"user\"}}").ok(201);
		create("{\"key\":\"b\",\"value\":2,\"tags\":{\"category\":\"order\"}}").ok(201);
		create("{\"key\":\"c\",\"value\":3,\"tags\":{\"category\":\"user\",\"colon\":\"a:b\"}}").ok(201);

		JsonNode users = this.api.get("/api/v1/kv?tag_filter=category:user", token()).ok(200);

		assertThat(users.get("total").asLong()).isEqualTo(2);
		assertThat(users.get("items").valueStream().map((e) -> e.get("key").asString())).containsExactly("a", "c");
		assertThat(listKeys("/api/v1/kv?tag_filter=colon:a%3Ab")).containsExactly("c");
		assertThat(listKeys("/api/v1/kv?tag_filter=category:none")).isEmpty();
	}

	@Test
	void refusesBadPagingWith422() {
		this.api.get("/api/v1/kv?page=0", token()).problem(422);
		this.api.get("/api/v1/kv?page_size=0", token()).problem(422);
		this.api.get("/api/v1/kv?page_size=1001", token()).problem(422);
		this.api.get("/api/v1/kv?page=abc", token()).problem(422);
		this.api.get("/api/v1/kv?page=99999999999", token()).problem(422);
		this.api.get("/api/v1/kv?tag_filter=novalue", token()).problem(422);
		this.api.get("/api/v1/kv?page=1&page=2", token()).problem(422);
		this.api.get("/api/v1/kv?page_size=1000", token()).ok(200);
	}

	@Test
	void createsBatchAllOrNothing() {
		create("{\"key\":\"taken\",\"value\":0}").ok(201);

		JsonNode conflict = batch(List.of("fresh-1", "taken", "fresh-2")).problem(409);
		JsonNode repeated = batch(List.of("dup", "other", "dup")).problem(422);
		JsonNode created = batch(List.of("fresh-1", "fresh-2")).ok(201);

		assertThat(conflict.get("keys").valueStream().map(JsonNode::asString)).containsExactly("taken");
		assertThat(repeated.get("keys").valueStream().map(JsonNode::asString)).containsExactly("dup");
		assertThat(created.get("created").asInt()).isEqualTo(2);
		assertThat(created.get("total").asInt()).isEqualTo(2);
		assertThat(created.get("items").get(1).get("metadata").get("version").asInt()).isEqualTo(1);
		assertThat(listKeys("/api/v1/kv")).containsExactly("fresh-1", "fresh-2", "taken");
		get("dup").problem(404);
	}

	@Test
	void refusesBatchesThatAreEmptyTooLargeOrNotAnObject() {
		this.api.post("/api/v1/kv/batch", token(), "{\"items\":[]}").problem(422);
		this.api.post("/api/v1/kv/batch", token(), "[{\"key\":\"k\",\"value\":1}]").problem(400);
		this.api.post("/api/v1/kv/batch", token(), "{\"items\":[{\"key\":\"k\"}]}").problem(422);
		this.api.post("/api/v1/kv/batch", token(), "{\"items\":[null]}").problem(422);
		batch(IntStream.range(0, 101).mapToObj((i) -> "k" + i).toList()).problem(422);

		assertThat(this.api.get("/api/v1/kv/stats/count", token()).ok(200).get("count").asLong()).isZero();
	}

	@Test
	void expiredEntryIsInvisibleEverywhereAtOnce() {
		create("{\"key\":\"brief\",\"value\":1,\"ttl\":1,\"tags\":{\"t\":\"x\"}}").ok(201);
		create("{\"key\":\"lasting\",\"value\":2}").ok(201);

		await().atMost(Duration.ofSeconds(5)).until(() -> get("brief").status() == 404);

		assertThat(this.api.get("/api/v1/kv/brief/exists", token()).ok(200).get("exists").asBoolean()).isFalse();
		this.api.get("/api/v1/kv/brief/ttl", token()).problem(404);
		this.api.put("/api/v1/kv/brief", token(), "{\"value\":3}").problem(404);
		this.api.delete("/api/v1/kv/brief", token()).problem(404);
		assertThat(this.api.get("/api/v1/kv/stats/count", token()).ok(200).get("count").asLong()).isEqualTo(1);
		assertThat(listKeys("/api/v1/kv")).containsExactly("lasting");
		assertThat(listKeys("/api/v1/kv?tag_filter=t:x")).isEmpty();
		assertThat(create("{\"key\":\"brief\",\"value\":4}").ok(201).get("metadata").get("version").asInt())
			.isEqualTo(1);
	}

	@Test
	void countsLiveKeys() {
		batch(List.of("a", "b", "c")).ok(201);
		this.api.delete("/api/v1/kv/b", token()).ok(200);

		assertThat(this.api.get("/api/v1/kv/stats/count", token()).ok(200).get("count").asLong()).isEqualTo(2);
	}

	@Test
	void requiresAccessTokenOnEveryKeyEndpoint() {
		this.api.get("/api/v1/kv/k", null).problem(401);
		this.api.post("/api/v1/kv", null, "{\"key\":\"k\",\"value\":1}").problem(401);
		this.api.put("/api/v1/kv/k", null, "{\"value\":1}").problem(401);
		this.api.delete("/api/v1/kv/k", null).problem(401);
		this.api.get("/api/v1/kv", null).problem(401);
		this.api.post("/api/v1/kv/batch", null, "{\"items\":[]}").problem(401);
		this.api.get("/api/v1/kv/k/exists", null).problem(401);
		this.api.get("/api/v1/kv/k/ttl", null).problem(401);
		ApiClient.Response count = this.api.get("/api/v1/kv/stats/count", null);
		count.problem(401);
		assertThat(count.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
	}

	private ApiClient.Response create(String json) {
		return this.api.post("/api/v1/kv", token(), json);
	}

	private ApiClient.Response get(String key) {
		return this.api.get("/api/v1/kv/" + key(key), token());
	}

	private ApiClient.Response batch(List<String> keys) {
		String items = String.join(",",
				keys.stream().map((k) -> "{\"key\":" + quoted(k) + ",\"value\":\"v-" + k + "\"}").toList());
		return this.api.post("/api/v1/kv/batch", token(), "{\"items\":[" + items + "]}");
	}

	private List<String> listKeys(String path) {
		return this.api.get(path, token())
			.ok(200)
			.get("items")
			.valueStream()
			.map((e) -> e.get("key").asString())
			.toList();
	}

	private String token() {
		return this.alice.accessToken();
	}

	private static String quoted(String text) {
		return ApiJson.mapper().writeValueAsString(text);
	}

	private static String compact(String json) {
		return ApiJson.mapper().writeValueAsString(ApiJson.mapper().readTree(json));
	}

}
