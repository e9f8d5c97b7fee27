package dev.kvstore.functions.fuzz;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.StringJoiner;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import dev.kvstore.functions.ApiClient;
import dev.kvstore.functions.ApiClient.Response;
import dev.kvstore.functions.ApiClient.Session;
import dev.kvstore.functions.fuzz.Inputs.JsonValue;
import dev.kvstore.functions.fuzz.Inputs.Tags;

import static dev.kvstore.functions.fuzz.Answers.check;
import static dev.kvstore.functions.fuzz.Answers.expect;
import static dev.kvstore.functions.fuzz.Answers.path;
import static dev.kvstore.functions.fuzz.Inputs.quoted;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Generated keys, values, tags and paging parameters: each is served exactly as the API
 * rules say, or refused with the right 4xx problem; none gives a 5xx.
 */
@FuzzTest
class KeyPropertyTests {

	/**
	 * Nesting the body may have (ApiJson.MAX_NESTING_DEPTH); the body object is one
	 * level.
	 */
	private static final int MAX_VALUE_DEPTH = 63;

	@Autowired
	ApiClient api;

	Session tenant;

	@BeforeEach
	void setUp() {
		this.tenant = this.api.register();
	}

	@Test
	void everyKeyIsServedThroughEveryKeyRouteOrRefusedAsTheRulesSay() {
		Tries.Tally tally = new Tries.Tally();
		Tries.forAll(150, (random) -> new KeyCase(Inputs.key(random), ttl(random)), (input) -> {
			String key = input.key();
			boolean keyValid = Inputs.isValidKey(key);
			Response created = post("/api/v1/kv",
					"{\"key\":" + quoted(key) + ",\"value\":\"v\"" + input.ttl().member() + "}");

			boolean stored;
			if (!keyValid || input.ttl().valid() == Boolean.FALSE) {
				expect(created, 422);
				stored = false;
			}
			else if (input.ttl().valid() == null) {
				stored = check(created) == 201;
				assertThat(created.status()).isIn(201, 422);
			}
			else {
				expect(created, 201);
				stored = true;
			}
			if (stored) {
				assertThat(created.json().get("key").asString()).isEqualTo(key);
				assertThat(created.json().get("metadata").get("version").asLong()).isEqualTo(1);
			}

			Response read = get(path(key));
			Response exists = get(path(key) + "/exists");
			Response ttl = get(path(key) + "/ttl");
			Response page = get("/api/v1/kv?page_size=1000");
			Response updated = put(path(key), "{\"value\":[\"w\"]}");
			Response reread = get(path(key));
			Response deleted = delete(path(key));
			Response gone = get(path(key));

			expect(page, 200);
			tally.count(stored ? "stored" : keyValid ? "not stored" : "refused");
			if (stored) {
				assertThat(expect(read, 200).json().get("key").asString()).isEqualTo(key);
				assertThat(expect(exists, 200).json().get("exists").asBoolean()).isTrue();
				expect(ttl, 200);
				assertThat(keys(page.json())).containsExactly(key);
				assertThat(expect(updated, 200).json().get("metadata").get("version").asLong()).isEqualTo(2);
				assertThat(expect(reread, 200).json().get("value")).isEqualTo(Answers.json("[\"w\"]"));
				expect(deleted, 200);
				expect(gone, 404);
			}
			else if (keyValid) {
				assertThat(keys(page.json())).isEmpty();
				assertThat(expect(exists, 200).json().get("exists").asBoolean()).isFalse();
				for (Response response : List.of(read, ttl, updated, reread, deleted, gone)) {
					expect(response, 404);
				}
			}
			else {
				assertThat(keys(page.json())).isEmpty();
				int refusal = refusalOfPath(key);
				for (Response response : List.of(read, exists, ttl, updated, reread, deleted, gone)) {
					if (refusal != 0) {
						expect(response, refusal);
					}
					else {
						assertThat(check(response)).isBetween(400, 499);
					}
				}
			}
		});
		assertThat(tally.get("stored")).as("%s", tally).isGreaterThan(60);
		assertThat(tally.get("refused")).as("%s", tally).isGreaterThan(20);
	}

	@Test
	void everyJsonValueIsReturnedExactlyAsStoredOrRefusedAsTooDeep() {
		Tries.Tally tally = new Tries.Tally();
		Tries.forAll(150, (random) -> List.of(Inputs.jsonValue(random), Inputs.jsonValue(random)), (values) -> {
			JsonValue first = values.get(0);
			JsonValue second = values.get(1);
			String key = "value-" + first.text().hashCode();
			Response created = post("/api/v1/kv", "{\"key\":" + quoted(key) + ",\"value\":" + first.text() + "}");

			tally.count((first.depth() > MAX_VALUE_DEPTH) ? "too deep" : "stored");
			if (first.depth() > MAX_VALUE_DEPTH) {
				expect(created, 400);
				return;
			}
			if (first.unpaired() && check(created) != 201) {
				assertThat(created.status()).isBetween(400, 499);
				return;
			}
			if (Inputs.hasExponentBeyondInt(first.text())) {
				expect(created, 422);
				return;
			}
			expect(created, 201);
			assertThat(valueOf(get(path(key)))).isEqualTo(decimals(first.text()));
			Response updated = put(path(key), "{\"value\":" + second.text() + "}");
			if (second.depth() > MAX_VALUE_DEPTH || (second.unpaired() && check(updated) != 200)
					|| Inputs.hasExponentBeyondInt(second.text())) {
				assertThat(check(updated)).isBetween(400, 499);
				assertThat(valueOf(get(path(key)))).isEqualTo(decimals(first.text()));
			}
			else {
				expect(updated, 200);
				assertThat(valueOf(get(path(key)))).isEqualTo(decimals(second.text()));
			}
			expect(delete(path(key)), 200);
		});
		assertThat(tally.get("stored")).as("%s", tally).isGreaterThan(100);
		assertThat(tally.get("too deep")).as("%s", tally).isGreaterThan(3);
	}

	@Test
	void everyTagSetIsStoredAndFoundByItsFilterOrRefusedWith422() {
		Tries.Tally tally = new Tries.Tally();
		Tries.forAll(120, (random) -> List.of(Inputs.tags(random), Inputs.tags(random)), (tags) -> {
			Tags first = tags.get(0);
			Tags second = tags.get(1);
			String key = "tagged-" + first.json().hashCode();
			Response created = post("/api/v1/kv", "{\"key\":" + quoted(key) + ",\"value\":1,\"tags\":" + first + "}");

			tally.count(first.valid() ? "stored" : "refused");
			if (!first.valid()) {
				assertThat(check(created)).isEqualTo(refusal(first));
				expect(get(path(key)), 404);
				return;
			}
			expect(created, 201);
			assertTagged(key, first.map());
			Response updated = put(path(key), "{\"tags\":" + second + "}");
			if (second.valid()) {
				expect(updated, 200);
				assertTagged(key, second.map());
				first.map()
					.keySet()
					.stream()
					.filter((name) -> !second.map().containsKey(name))
					.limit(3)
					.forEach((name) -> {
						String filter = name + ":" + first.map().get(name);
						assertThat(keys(expect(get("/api/v1/kv?tag_filter=" + ApiClient.key(filter)), 200).json()))
							.doesNotContain(key);
					});
			}
			else {
				assertThat(check(updated)).isEqualTo(refusal(second));
				assertTagged(key, first.map());
			}
			expect(delete(path(key)), 200);
		});
		assertThat(tally.get("stored")).as("%s", tally).isGreaterThan(50);
		assertThat(tally.get("refused")).as("%s", tally).isGreaterThan(15);
	}

	@Test
	void everyPageIsTheRightSliceOfTheKeysOrRefused() {
		List<String> all = IntStream.range(0, 23).mapToObj((i) -> "k%02d".formatted(i)).toList();
		StringJoiner items = new StringJoiner(",", "{\"items\":[", "]}");
		all.forEach((key) -> items.add("{\"key\":\"%s\",\"value\":1,\"tags\":{\"parity\":\"%s\"}}".formatted(key,
				(Integer.parseInt(key.substring(1)) % 2 == 0) ? "even" : "odd")));
		expect(post("/api/v1/kv/batch", items.toString()), 201);

		Tries.Tally tally = new Tries.Tally();
		Tries.forAll(150, KeyPropertyTests::pageQuery, (query) -> {
			Response response = get("/api/v1/kv" + query.string());
			tally.count(check(response) == 200 ? "page" : "refused");
			List<String> matching = all;
			if (query.tagFilter() != null) {
				matching = switch (query.tagFilter()) {
					case "parity:even" ->
						all.stream().filter((key) -> Integer.parseInt(key.substring(1)) % 2 == 0).toList();
					case "parity:odd" ->
						all.stream().filter((key) -> Integer.parseInt(key.substring(1)) % 2 == 1).toList();
					default -> List.of();
				};
			}
			Boolean valid = query.valid();
			if (valid == Boolean.FALSE) {
				expect(response, 422);
				return;
			}
			if (valid == Boolean.TRUE) {
				expect(response, 200);
			}
			if (check(response) != 200) {
				return;
			}
			JsonNode page = response.json();
			int number = page.get("page").asInt();
			int size = page.get("page_size").asInt();
			if (query.page() != null && Inputs.canonicalInteger(query.page()) != null) {
				assertThat(number).isEqualTo(Integer.parseInt(query.page()));
			}
			if (query.pageSize() != null && Inputs.canonicalInteger(query.pageSize()) != null) {
				assertThat(size).isEqualTo(Integer.parseInt(query.pageSize()));
			}
			long first = (long) (number - 1) * size;
			List<String> slice = (first >= matching.size()) ? List.of()
					: matching.subList((int) first, (int) Math.min(matching.size(), first + size));
			assertThat(keys(page)).isEqualTo(slice);
			assertThat(page.get("total").asLong()).isEqualTo(matching.size());
		});
		assertThat(tally.get("page")).as("%s", tally).isGreaterThan(40);
		assertThat(tally.get("refused")).as("%s", tally).isGreaterThan(40);
	}

	private static int refusal(Tags tags) {
		return tags.loneSurrogateName() ? 400 : 422;
	}

	/** A key, with a {@code ttl} member to send beside it. */
	record KeyCase(String key, Ttl ttl) {
	}

	/**
	 * A {@code ttl} member; {@code valid} is {@code null} where the rules leave the
	 * coercion open (a number in a string).
	 */
	record Ttl(String member, Boolean valid) {
	}

	private static Ttl ttl(Random random) {
		return switch (random.nextInt(16)) {
			case 0 -> new Ttl(",\"ttl\":" + (1 + random.nextInt(315_360_000)), true);
			case 1 -> new Ttl(",\"ttl\":315360000", true);
			case 2 -> new Ttl(",\"ttl\":null", true);
			case 3 -> new Ttl(
					",\"ttl\":" + List
						.of("0", "-1", "315360001", "9223372036854775808", "1.5", "1e2", "true", "[]", "{}",
								"99999999999999999999999")
						.get(random.nextInt(10)),
					false);
			case 4 -> new Ttl(",\"ttl\":\"60\"", null);
			default -> new Ttl("", true);
		};
	}

	/**
	 * What a key in a path gets when it is refused: 400 for bytes that are not UTF-8,
	 * else 422; 0 when open.
	 */
	private static int refusalOfPath(String key) {
		// no path can carry a lone surrogate (its UTF-8 is invalid); a NUL is an invalid
		// key
		if (!Inputs.isWellFormed(key)) {
			return 400;
		}
		return (path(key).length() < 6000) ? 422 : 0;
	}

	/**
	 * Query parameters for a page and whether they must be accepted, refused, or either.
	 */
	record PageQuery(String page, String pageSize, String tagFilter) {

		String string() {
			StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
			if (this.page != null) {
				query.add("page=" + ApiClient.key(this.page));
			}
			if (this.pageSize != null) {
				query.add("page_size=" + ApiClient.key(this.pageSize));
			}
			if (this.tagFilter != null) {
				query.add("tag_filter=" + ApiClient.key(this.tagFilter));
			}
			return query.toString();
		}

		Boolean valid() {
			Boolean page = parameter(this.page, 1, Integer.MAX_VALUE);
			Boolean size = parameter(this.pageSize, 1, 1000);
			Boolean filter = (this.tagFilter == null) ? Boolean.TRUE
					: Boolean.valueOf(this.tagFilter.indexOf(':') >= 1);
			if (page == Boolean.FALSE || size == Boolean.FALSE || filter == Boolean.FALSE) {
				return false;
			}
			return (page == Boolean.TRUE && size == Boolean.TRUE) ? Boolean.TRUE : null;
		}

		private static Boolean parameter(String value, long min, long max) {
			if (value == null) {
				return true;
			}
			BigInteger number = Inputs.canonicalInteger(value);
			if (number == null) {
				return null;
			}
			return number.compareTo(BigInteger.valueOf(min)) >= 0 && number.compareTo(BigInteger.valueOf(max)) <= 0;
		}

		@Override
		public String toString() {
			return string();
		}

	}

	private static PageQuery pageQuery(Random random) {
		String page = random.nextInt(5) == 0 ? null : Inputs.pageParameter(random);
		String size = random.nextInt(5) == 0 ? null : Inputs.pageParameter(random);
		String filter = switch (random.nextInt(8)) {
			case 0 -> "parity:even";
			case 1 -> "parity:odd";
			case 2 -> List.of("", ":", ":even", "parity", "parity:", "parity:even:x", "other:x").get(random.nextInt(7));
			case 3 -> Inputs.text(random, 10);
			default -> null;
		};
		return new PageQuery(page, size, filter);
	}

	private void assertTagged(String key, Map<String, String> tags) {
		JsonNode stored = expect(get(path(key)), 200).json().get("metadata").get("tags");
		Map<String, String> actual = new java.util.LinkedHashMap<>();
		stored.properties().forEach((field) -> actual.put(field.getKey(), field.getValue().asString()));
		assertThat(actual).isEqualTo(tags);
		tags.entrySet().stream().limit(3).forEach((tag) -> {
			String name = tag.getKey();
			String value = tag.getValue();
			JsonNode page = expect(get("/api/v1/kv?page_size=1000&tag_filter=" + ApiClient.key(name + ":" + value)),
					200)
				.json();
			assertThat(keys(page)).as("keys tagged %s:%s", name, value).containsExactly(key);
		});
	}

	/** The value of an entry, numbers compared by value and scale. */
	private static JsonNode valueOf(Response response) {
		return Answers.numbersAsDecimals(expect(response, 200).json().get("value"));
	}

	private static JsonNode decimals(String json) {
		return Answers.numbersAsDecimals(Answers.json(json));
	}

	private static List<String> keys(JsonNode page) {
		List<String> keys = new ArrayList<>();
		page.get("items").forEach((item) -> keys.add(item.get("key").asString()));
		return keys;
	}

	private Response get(String path) {
		return this.api.get(path, this.tenant.accessToken());
	}

	private Response post(String path, String json) {
		return this.api.post(path, this.tenant.accessToken(), json);
	}

	private Response put(String path, String json) {
		return this.api.put(path, this.tenant.accessToken(), json);
	}

	private Response delete(String path) {
		return this.api.delete(path, this.tenant.accessToken());
	}

}
