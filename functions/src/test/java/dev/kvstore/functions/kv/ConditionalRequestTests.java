package dev.kvstore.functions.kv;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import dev.kvstore.functions.ApiClient;
import dev.kvstore.functions.ApiClient.Response;
import dev.kvstore.functions.ApiClient.Session;
import dev.kvstore.functions.ApiTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Conditional requests on one entry (RFC 9110 section 13): its ETag, 304 for a current
 * copy, 412 and nothing written when If-Match or If-None-Match does not hold.
 */
@ApiTest
class ConditionalRequestTests {

	private static final String K = "/api/v1/kv/k";

	@Autowired
	ApiClient api;

	Session alice;

	@BeforeEach
	void setUp() {
		this.alice = this.api.register();
	}

	@Test
	void everyEntryAnswerCarriesAStrongETagThatNamesOneWrite() {
		String created = etag(this.api.post("/api/v1/kv", token(), "{\"key\":\"k\",\"value\":1}"), 201);
		assertThat(created).matches("\"[^\"]+\"");
		assertThat(etag(this.api.get(K, token()), 200)).isEqualTo(created);

		String updated = etag(this.api.put(K, token(), "{\"value\":2}"), 200);
		this.api.delete(K, token()).ok(200);
		String recreated = etag(this.api.post("/api/v1/kv", token(), "{\"key\":\"k\",\"value\":1}"), 201);

		// The same version 1 and value again, yet another write: another tag.
		assertThat(List.of(created, updated, recreated)).doesNotHaveDuplicates();
		assertThat(etag(this.api.get(K, token()), 200)).isEqualTo(recreated);
	}

	@Test
	void readWhoseIfNoneMatchNamesTheCurrentTagIsNotModified() {
		String tag = etag(this.api.post("/api/v1/kv", token(), "{\"key\":\"k\",\"value\":1}"), 201);

		for (String current : List.of(tag, "W/" + tag, "\"other\", " + tag, "*")) {
			Response notModified = conditional("GET", K, null, "If-None-Match", current);
			assertThat(notModified.status()).as(current).isEqualTo(304);
			assertThat(notModified.body()).isEmpty();
			assertThat(notModified.headers().firstValue("ETag")).hasValue(tag);
		}
		Response stale = conditional("GET", K, null, "If-None-Match", "\"other\"");
		assertThat(stale.ok(200).get("value").asInt()).isEqualTo(1);
	}

	@Test
	void writeWhoseIfMatchDoesNotHoldFailsAndWritesNothing() {
		String tag = etag(this.api.post("/api/v1/kv", token(), "{\"key\":\"k\",\"value\":1}"), 201);

		conditional("PUT", K, "{\"value\":2}", "If-Match", "\"other\"").problem(412);
		// If-Match compares strongly: a weak tag never matches.
		conditional("PUT", K, "{\"value\":2}", "If-Match", "W/" + tag).problem(412);
		conditional("DELETE", K, null, "If-Match", "\"other\"").problem(412);
		assertThat(this.api.get(K, token()).ok(200).get("value").asInt()).isEqualTo(1);

		String updated = etag(conditional("PUT", K, "{\"value\":2}", "If-Match", tag), 200);
		conditional("PUT", K, "{\"value\":3}", "If-Match", tag).problem(412);
		conditional("DELETE", K, null, "If-Match", tag).problem(412);
		conditional("DELETE", K, null, "If-Match", "\"x\", " + updated).ok(200);
		this.api.get(K, token()).problem(404);
	}

	@Test
	void ifMatchAnyFailsOnAMissingKey() {
		conditional("PUT", K, "{\"value\":2}", "If-Match", "*").problem(412);
		conditional("DELETE", K, null, "If-Match", "*").problem(412);
		this.api.get(K, token()).problem(404);

		this.api.post("/api/v1/kv", token(), "{\"key\":\"k\",\"value\":1}").ok(201);
		assertThat(conditional("PUT", K, "{\"value\":2}", "If-Match", "*").ok(200).get("value").asInt()).isEqualTo(2);
	}

	@Test
	void putWithIfNoneMatchAnyCreatesOnlyAMissingKey() {
		Response created = conditional("PUT", K, "{\"value\":\"v\",\"ttl\":60,\"tags\":{\"t\":\"x\"}}", "If-None-Match",
				"*");
		JsonNode entry = created.ok(201);
		assertThat(entry.get("value").asString()).isEqualTo("v");
		assertThat(entry.get("metadata").get("version").asLong()).isEqualTo(1);
		assertThat(entry.get("metadata").get("ttl").asLong()).isEqualTo(60);
		assertThat(created.headers().firstValue("ETag")).isPresent();

		conditional("PUT", K, "{\"value\":\"w\"}", "If-None-Match", "*").problem(412);
		assertThat(this.api.get(K, token()).ok(200).get("value").asString()).isEqualTo("v");
		conditional("PUT", "/api/v1/kv/other", "{\"ttl\":60}", "If-None-Match", "*").problem(422);
	}

	@Test
	void readsEveryLineAndElementOfAConditionAndHoldReadsToIfMatch() {
		String tag = etag(this.api.post("/api/v1/kv", token(), "{\"key\":\"k\",\"value\":1}"), 201);

		conditional("GET", K, null, "If-Match", "\"other\"").problem(412);
		assertThat(conditional("GET", K, null, "If-Match", tag).status()).isEqualTo(200);
		// Empty list elements count for nothing; a second header line counts as much as
		// the first.
		assertThat(conditional("GET", K, null, "If-None-Match", ", \"x\",, " + tag + ",").status()).isEqualTo(304);
		Response twoLines = this.api.send("PUT", K, token(), "{\"value\":2}", "If-Match", "\"x\"", "If-Match", tag);
		assertThat(twoLines.ok(200).get("value").asInt()).isEqualTo(2);
	}

	@Test
	void malformedConditionsAreRefused() {
		this.api.post("/api/v1/kv", token(), "{\"key\":\"k\",\"value\":1}").ok(201);

		for (String malformed : List.of("unquoted", "\"a\" \"b\"", "\"a\" junk", "\"open")) {
			conditional("PUT", K, "{\"value\":2}", "If-Match", malformed).problem(400);
		}
		assertThat(this.api.get(K, token()).ok(200).get("value").asInt()).isEqualTo(1);
	}

	@Test
	void ofConcurrentWritesWithTheSameIfMatchExactlyOneWins() throws Exception {
		String tag = etag(this.api.post("/api/v1/kv", token(), "{\"key\":\"k\",\"value\":0}"), 201);
		int writers = 16;
		List<Callable<Integer>> writes = IntStream.range(0, writers)
			.<Callable<Integer>>mapToObj(
					(i) -> () -> conditional("PUT", K, "{\"value\":" + i + "}", "If-Match", tag).status())
			.toList();

		List<Integer> statuses;
		try (ExecutorService pool = Executors.newFixedThreadPool(writers)) {
			statuses = pool.invokeAll(writes).stream().map(ConditionalRequestTests::result).toList();
		}

		assertThat(statuses).containsOnly(200, 412);
		assertThat(statuses).filteredOn((status) -> status == 200).hasSize(1);
		assertThat(this.api.get(K, token()).ok(200).get("metadata").get("version").asLong()).isEqualTo(2);
	}

	private Response conditional(String method, String path, String json, String header, String value) {
		return this.api.send(method, path, token(), json, header, value);
	}

	private static String etag(Response response, int expectedStatus) {
		response.ok(expectedStatus);
		return response.headers().firstValue("ETag").orElseThrow();
	}

	private static Integer result(Future<Integer> status) {
		try {
			return status.get();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private String token() {
		return this.alice.accessToken();
	}

}
