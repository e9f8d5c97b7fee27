package dev.kvstore.functions.kv;

import java.time.Duration;
import java.util.ArrayList;
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

import static dev.kvstore.functions.ApiClient.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Listing by prefix with a cursor: key order, every key once across pages whatever is
 * written meanwhile, cursors that only this tenant's same listing accepts.
 */
@ApiTest
class KeyWalkTests {

	@Autowired
	ApiClient api;

	Session alice;

	@BeforeEach
	void setUp() {
		this.alice = this.api.register();
		create(IntStream.rangeClosed(1, 25).mapToObj((i) -> "user:%02d".formatted(i)).toList(), "{\"t\":\"x\"}");
		create(List.of("user", "users", "other:1", "use"), "{\"t\":\"y\"}");
	}

	@Test
	void walksTheKeysUnderAPrefixInOrderAPageAtATime() {
		List<JsonNode> pages = walk("/api/v1/kv?prefix=user:&limit=10");

		assertThat(pages).extracting((page) -> page.get("items").size()).containsExactly(10, 10, 5);
		assertThat(pages.getLast().get("next_cursor").isNull()).isTrue();
		assertThat(keys(pages)).isEqualTo(IntStream.rangeClosed(1, 25).mapToObj("user:%02d"::formatted).toList());
		assertThat(pages.getFirst().has("total")).isFalse();
	}

	@Test
	void answersEveryKeyThatLivesThroughTheWalkExactlyOnce() {
		JsonNode first = this.api.get("/api/v1/kv?prefix=user&limit=10", token()).ok(200);
		create(List.of("user:00", "user:99"), "{}");
		this.api.delete("/api/v1/kv/" + key("user:20"), token()).ok(200);
		List<JsonNode> pages = new ArrayList<>(List.of(first));
		pages.addAll(walkFrom("/api/v1/kv?prefix=user&limit=10", first.get("next_cursor").asString()));

		List<String> keys = keys(pages);
		assertThat(keys).doesNotHaveDuplicates().isSorted().contains("user:99").doesNotContain("user:20", "user:00");
		assertThat(keys)
			.containsAll(IntStream.rangeClosed(1, 25).filter((i) -> i != 20).mapToObj("user:%02d"::formatted).toList());
	}

	@Test
	void combinesWithTheTagFilterAndLeavesValuesOutOnRequest() {
		List<JsonNode> pages = walk("/api/v1/kv?prefix=use&tag_filter=t:y&keys_only=true");

		assertThat(keys(pages)).containsExactly("use", "user", "users");
		assertThat(pages.getFirst().get("items").get(0).has("value")).isFalse();
		assertThat(keys(walk("/api/v1/kv?limit=1000"))).hasSize(29);
	}

	@Test
	void acceptsOnlyItsOwnCursorsForTheSameListing() {
		String cursor = this.api.get("/api/v1/kv?prefix=user:&limit=5", token()).ok(200).get("next_cursor").asString();
		Session bob = this.api.register();
		String forged = cursor.substring(0, cursor.length() - 2) + (cursor.endsWith("AA") ? "BB" : "AA");

		this.api.get("/api/v1/kv?prefix=user:&cursor=" + cursor, bob.accessToken()).problem(422);
		this.api.get("/api/v1/kv?prefix=other&cursor=" + cursor, token()).problem(422);
		this.api.get("/api/v1/kv?prefix=user:&cursor=" + forged, token()).problem(422);
		this.api.get("/api/v1/kv?prefix=user:&cursor=garbage", token()).problem(422);
		this.api.get("/api/v1/kv?prefix=user:&cursor=" + cursor, token()).ok(200);
	}

	@Test
	void refusesWalksOutOfBoundsAndMixedWithNumberedPages() {
		this.api.get("/api/v1/kv?limit=0", token()).problem(422);
		this.api.get("/api/v1/kv?limit=1001", token()).problem(422);
		this.api.get("/api/v1/kv?prefix=a&page=2", token()).problem(422);
		this.api.get("/api/v1/kv?limit=5&page_size=5", token()).problem(422);
		JsonNode seed = this.api.get("/api/v1/kv?page=1&page_size=5", token()).ok(200);
		assertThat(seed.get("total").asInt()).isEqualTo(29);
		assertThat(seed.has("next_cursor")).isFalse();
	}

	@Test
	void countsTheLiveKeysUnderAPrefix() {
		this.api.post("/api/v1/kv", token(), "{\"key\":\"user:short\",\"value\":1,\"ttl\":1}").ok(201);

		assertThat(count("user:")).isEqualTo(26);
		assertThat(count("users")).isEqualTo(1);
		assertThat(count("nothing")).isZero();
		assertThat(this.api.get("/api/v1/kv/stats/count", token()).ok(200).get("count").asInt()).isEqualTo(30);
		await().atMost(Duration.ofSeconds(10)).until(() -> count("user:") == 25);
	}

	private long count(String prefix) {
		return this.api.get("/api/v1/kv/stats/count?prefix=" + key(prefix), token()).ok(200).get("count").asLong();
	}

	private List<JsonNode> walk(String listing) {
		return walkFrom(listing, null);
	}

	private List<JsonNode> walkFrom(String listing, String cursor) {
		List<JsonNode> pages = new ArrayList<>();
		do {
			JsonNode page = this.api.get(listing + ((cursor != null) ? "&cursor=" + cursor : ""), token()).ok(200);
			pages.add(page);
			cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asString();
		}
		while (cursor != null && pages.size() < 100);
		return pages;
	}

	private static List<String> keys(List<JsonNode> pages) {
		return pages.stream()
			.flatMap((page) -> page.get("items").valueStream())
			.map((entry) -> entry.get("key").asString())
			.toList();
	}

	private void create(List<String> keys, String tags) {
		String items = keys.stream()
			.map((k) -> "{\"key\":\"" + k + "\",\"value\":1,\"tags\":" + tags + "}")
			.collect(Collectors.joining(","));
		this.api.post("/api/v1/kv/batch", token(), "{\"items\":[" + items + "]}").ok(201);
	}

	private String token() {
		return this.alice.accessToken();
	}

}
