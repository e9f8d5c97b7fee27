package dev.kvstore.functions.kv;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import dev.kvstore.functions.ApiClient;
import dev.kvstore.functions.ApiClient.Session;
import dev.kvstore.functions.ApiTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Bulk reads and deletes over HTTP: one answer for many keys, in order, with the missing
 * ones named; deletes all in one step, each audited, or none.
 */
@ApiTest
class BulkKeyTests {

	private static final String GET = "/api/v1/kv/batch/get";

	private static final String DELETE = "/api/v1/kv/batch/delete";

	@Autowired
	ApiClient api;

	Session alice;

	@BeforeEach
	void setUp() {
		this.alice = this.api.register();
		this.api
			.post("/api/v1/kv/batch", token(),
					"{\"items\":[{\"key\":\"a\",\"value\":1},{\"key\":\"b\",\"value\":2},"
							+ "{\"key\":\"c/d\",\"value\":{\"x\":3},\"ttl\":60}]}")
			.ok(201);
	}

	@Test
	void readsManyKeysInTheOrderAskedAndNamesTheMissing() {
		JsonNode read = this.api.post(GET, token(), "{\"keys\":[\"c/d\",\"nope\",\"a\",\"c/d\"]}").ok(200);

		assertThat(keys(read.get("items"))).containsExactly("c/d", "a");
		assertThat(read.get("items").get(0).get("value").get("x").asInt()).isEqualTo(3);
		assertThat(read.get("items").get(0).get("metadata").get("ttl").asInt()).isEqualTo(60);
		assertThat(texts(read.get("missing"))).containsExactly("nope");
		assertThat(read.has("unread")).isFalse();
	}

	@Test
	void readsAndDeletesOnlyTheCallersOwnKeys() {
		Session bob = this.api.register();

		JsonNode read = this.api.post(GET, bob.accessToken(), "{\"keys\":[\"a\",\"b\"]}").ok(200);
		JsonNode deleted = this.api.post(DELETE, bob.accessToken(), "{\"keys\":[\"a\",\"b\"]}").ok(200);

		assertThat(read.get("items").isEmpty()).isTrue();
		assertThat(texts(read.get("missing"))).containsExactly("a", "b");
		assertThat(deleted.get("deleted").isEmpty()).isTrue();
		assertThat(this.api.get("/api/v1/kv/stats/count", token()).ok(200).get("count").asInt()).isEqualTo(3);
	}

	@Test
	void deletesEveryExistingKeyEachAudited() {
		JsonNode deleted = this.api.post(DELETE, token(), "{\"keys\":[\"a\",\"nope\",\"c/d\"]}").ok(200);

		assertThat(texts(deleted.get("deleted"))).containsExactly("a", "c/d");
		assertThat(texts(deleted.get("missing"))).containsExactly("nope");
		assertThat(this.api.get("/api/v1/kv/stats/count", token()).ok(200).get("count").asInt()).isEqualTo(1);
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(auditedDeletions()).containsExactlyInAnyOrder("a", "c/d"));
	}

	@Test
	void deletesNothingWhenAKeyIsNotAtItsVersion() {
		this.api.put("/api/v1/kv/a", token(), "{\"value\":10}").ok(200);

		this.api.post(DELETE, token(), "{\"keys\":[\"a\",\"b\"],\"versions\":{\"a\":1}}").problem(412);
		this.api.post(DELETE, token(), "{\"keys\":[\"a\",\"nope\"],\"versions\":{\"nope\":1}}").problem(412);
		assertThat(this.api.get("/api/v1/kv/stats/count", token()).ok(200).get("count").asInt()).isEqualTo(3);

		JsonNode deleted = this.api.post(DELETE, token(), "{\"keys\":[\"a\",\"b\"],\"versions\":{\"a\":2}}").ok(200);
		assertThat(texts(deleted.get("deleted"))).containsExactly("a", "b");
	}

	@Test
	void refusesBatchesOutOfBounds() {
		String tooMany = IntStream.range(0, 1001).mapToObj((i) -> "\"k" + i + "\"").collect(Collectors.joining(","));

		for (String path : List.of(GET, DELETE)) {
			this.api.post(path, token(), "{\"keys\":[]}").problem(422);
			this.api.post(path, token(), "{\"keys\":[" + tooMany + "]}").problem(422);
			this.api.post(path, token(), "{\"keys\":[\"\"]}").problem(422);
			this.api.post(path, token(), "{\"keys\":\"a\"}").problem(422);
			this.api.post(path, null, "{\"keys\":[\"a\"]}").problem(401);
		}
		this.api.post(DELETE, token(), "{\"keys\":[\"a\"],\"versions\":{\"b\":1}}").problem(422);
		this.api.post(DELETE, token(), "{\"keys\":[\"a\"],\"versions\":{\"a\":0}}").problem(422);
		JsonNode nullVersion = this.api.post(DELETE, token(), "{\"keys\":[\"a\"],\"versions\":{\"a\":null}}")
			.problem(422);
		assertThat(nullVersion.get("detail").asString()).contains("version");
		assertThat(this.api.get("/api/v1/kv/stats/count", token()).ok(200).get("count").asInt()).isEqualTo(3);
	}

	private List<String> auditedDeletions() {
		return this.api.get("/api/v1/audit?limit=100", token())
			.ok(200)
			.get("items")
			.valueStream()
			.filter((event) -> event.get("operation").asString().equals("delete"))
			.map((event) -> event.get("key").asString())
			.toList();
	}

	private static List<String> keys(JsonNode entries) {
		return entries.valueStream().map((entry) -> entry.get("key").asString()).toList();
	}

	private static List<String> texts(JsonNode array) {
		return array.valueStream().map(JsonNode::asString).toList();
	}

	private String token() {
		return this.alice.accessToken();
	}

}
