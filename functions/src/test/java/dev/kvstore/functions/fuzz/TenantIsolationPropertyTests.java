package dev.kvstore.functions.fuzz;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.StringJoiner;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import dev.kvstore.functions.ApiClient;
import dev.kvstore.functions.ApiClient.Response;
import dev.kvstore.functions.ApiClient.Session;

import static dev.kvstore.functions.fuzz.Answers.check;
import static dev.kvstore.functions.fuzz.Answers.expect;
import static dev.kvstore.functions.fuzz.Answers.path;
import static dev.kvstore.functions.fuzz.Inputs.quoted;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tenant A holds a canary under generated keys; tenant B runs generated sequences of
 * every key operation over the same keys, keys that name A's tenant or Redis key scheme,
 * and A's tags. B sees exactly its own entries (checked against a model of what B did),
 * never the canary, and A's entries stay as they were.
 */
@FuzzTest
class TenantIsolationPropertyTests {

	private static final int A_GENERATED_KEYS = 6;

	@Autowired
	ApiClient api;

	Session a;

	/** A's entries: key to the JSON of its value. */
	final Map<String, String> aEntries = new LinkedHashMap<>();

	String canary;

	String canaryTag;

	@BeforeEach
	void plantCanary() {
		this.a = this.api.register();
		this.canary = "canary-" + UUID.randomUUID();
		this.canaryTag = "canary-tag-" + UUID.randomUUID();
		Set<String> keys = new LinkedHashSet<>(List.of("plain", "user:42/profile", "日本語/ключ:✓ é", "a%2Fb", "*"));
		Random random = Tries.random(-1);
		while (keys.size() < 5 + A_GENERATED_KEYS) {
			String key = Inputs.key(random);
			if (Inputs.isValidKey(key)) {
				keys.add(key);
			}
		}
		int i = 0;
		for (String key : keys) {
			String value = "{\"canary\":\"%s\",\"i\":%d}".formatted(this.canary, i++);
			expect(this.api.post("/api/v1/kv", this.a.accessToken(),
					"{\"key\":%s,\"value\":%s,\"ttl\":3600,\"tags\":{\"owner\":\"%s\",\"team\":\"red\"}}"
						.formatted(quoted(key), value, this.canaryTag)),
					201);
			this.aEntries.put(key, value);
		}
	}

	@Test
	void anotherTenantNeverSeesOrChangesTheCanaryWhateverItDoes() {
		Tries.Tally tally = new Tries.Tally();
		Tries.forAll(40, this::script, (script) -> {
			Session b = this.api.register();
			Map<String, String> model = new LinkedHashMap<>();
			for (Operation operation : script.operations()) {
				Response response = perform(b, operation);
				assertThat(response.body()).as("%s", operation)
					.doesNotContain(this.canary)
					.doesNotContain(this.canaryTag);
				tally.count(operation.kind() + " " + check(response));
				assertAsModelled(operation, response, model);
			}
			assertThat(
					expect(this.api.get("/api/v1/kv/stats/count", b.accessToken()), 200).json().get("count").asLong())
				.isEqualTo(model.size());
			assertAUnchanged();
		});
		assertThat(tally.get("get 200")).as("%s", tally).isGreaterThan(10);
		assertThat(tally.get("get 404")).as("%s", tally).isGreaterThan(30);
		assertThat(tally.get("create 201")).as("%s", tally).isGreaterThan(30);
		assertThat(tally.get("list 200")).as("%s", tally).isGreaterThan(20);
	}

	enum Kind {

		CREATE, BATCH, GET, UPDATE, DELETE, EXISTS, TTL, LIST, COUNT;

		@Override
		public String toString() {
			return name().toLowerCase();
		}

	}

	/** One request of B: its kind, the keys it names, and for a list its query. */
	record Operation(Kind kind, List<String> keys, String value, String query) {

		@Override
		public String toString() {
			return this.kind + " " + this.keys.stream().map(Tries::visible).toList() + " " + this.value + " "
					+ this.query;
		}

	}

	record Script(List<Operation> operations) {
	}

	private Script script(Random random) {
		List<String> pool = new ArrayList<>(this.aEntries.keySet());
		for (int i = 0; i < 3; i++) {
			pool.add(Inputs.key(random));
		}
		pool.add("kv:{" + this.a.tenantId() + "}:e:plain");
		pool.add(this.a.tenantId());
		pool.add("{" + this.a.tenantId() + "}");
		List<Operation> operations = new ArrayList<>();
		List<String> named = new ArrayList<>();
		int length = 8 + random.nextInt(10);
		for (int i = 0; i < length; i++) {
			Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
			List<String> keys = new ArrayList<>();
			int count = switch (kind) {
				case BATCH -> 1 + random.nextInt(3);
				case LIST, COUNT -> 0;
				default -> 1;
			};
			for (int k = 0; k < count; k++) {
				// half the time a key B tried to create, so that it reads back what it
				// wrote
				keys.add((!named.isEmpty() && random.nextBoolean()) ? named.get(random.nextInt(named.size()))
						: pool.get(random.nextInt(pool.size())));
			}
			if (kind == Kind.CREATE || kind == Kind.BATCH) {
				named.addAll(keys);
			}
			String value = quoted("b-" + Inputs.word(random, 1, 8));
			String query = (kind == Kind.LIST) ? listQuery(random) : "";
			operations.add(new Operation(kind, keys, value, query));
		}
		return new Script(operations);
	}

	private String listQuery(Random random) {
		String filter = switch (random.nextInt(6)) {
			case 0 -> "team:red";
			case 1 -> "owner:" + this.canaryTag;
			case 2 -> "b:" + Inputs.word(random, 1, 2);
			case 3 -> Inputs.text(random, 8);
			default -> null;
		};
		StringJoiner query = new StringJoiner("&", "?", "");
		query.add("page=" + ApiClient.key(random.nextBoolean() ? "1" : Inputs.pageParameter(random)));
		query.add("page_size=" + ApiClient.key(random.nextBoolean() ? "1000" : Inputs.pageParameter(random)));
		if (filter != null) {
			query.add("tag_filter=" + ApiClient.key(filter));
		}
		return query.toString();
	}

	private Response perform(Session b, Operation operation) {
		String token = b.accessToken();
		String key = operation.keys().isEmpty() ? null : operation.keys().get(0);
		return switch (operation.kind()) {
			case CREATE -> this.api.post("/api/v1/kv", token,
					"{\"key\":%s,\"value\":%s,\"tags\":{\"b\":\"x\"}}".formatted(quoted(key), operation.value()));
			case BATCH -> {
				StringJoiner items = new StringJoiner(",", "{\"items\":[", "]}");
				operation.keys()
					.forEach((k) -> items.add("{\"key\":%s,\"value\":%s}".formatted(quoted(k), operation.value())));
				yield this.api.post("/api/v1/kv/batch", token, items.toString());
			}
			case GET -> this.api.get(path(key), token);
			case UPDATE -> this.api.put(path(key), token,
					"{\"value\":%s,\"tags\":{\"team\":\"red\"}}".formatted(operation.value()));
			case DELETE -> this.api.delete(path(key), token);
			case EXISTS -> this.api.get(path(key) + "/exists", token);
			case TTL -> this.api.get(path(key) + "/ttl", token);
			case LIST -> this.api.get("/api/v1/kv" + operation.query(), token);
			case COUNT -> this.api.get("/api/v1/kv/stats/count", token);
		};
	}

	/** The answer B must get given what it did before, and B's model updated. */
	private void assertAsModelled(Operation operation, Response response, Map<String, String> model) {
		List<String> keys = operation.keys();
		String key = keys.isEmpty() ? null : keys.get(0);
		boolean valid = keys.stream().allMatch(Inputs::isValidKey);
		switch (operation.kind()) {
			case CREATE -> {
				if (!valid) {
					expect(response, 422);
				}
				else if (model.containsKey(key)) {
					expect(response, 409);
				}
				else {
					expect(response, 201);
					model.put(key, operation.value());
				}
			}
			case BATCH -> {
				if (!valid || new LinkedHashSet<>(keys).size() < keys.size()) {
					expect(response, 422);
				}
				else if (keys.stream().anyMatch(model::containsKey)) {
					expect(response, 409);
				}
				else {
					expect(response, 201);
					keys.forEach((k) -> model.put(k, operation.value()));
				}
			}
			case GET, UPDATE, DELETE, TTL -> {
				if (!valid) {
					assertThat(response.status()).isBetween(400, 499);
				}
				else if (model.containsKey(key)) {
					JsonNode body = expect(response, 200).json();
					if (operation.kind() == Kind.GET) {
						assertThat(body.get("value")).isEqualTo(Answers.json(model.get(key)));
					}
					if (operation.kind() == Kind.UPDATE) {
						model.put(key, operation.value());
					}
					if (operation.kind() == Kind.DELETE) {
						model.remove(key);
					}
				}
				else {
					expect(response, 404);
				}
			}
			case EXISTS -> {
				if (valid) {
					assertThat(expect(response, 200).json().get("exists").asBoolean())
						.isEqualTo(model.containsKey(key));
				}
			}
			case LIST -> {
				if (response.status() == 200) {
					JsonNode page = response.json();
					page.get("items").forEach((item) -> {
						String listed = item.get("key").asString();
						assertThat(model).containsKey(listed);
						assertThat(item.get("value")).isEqualTo(Answers.json(model.get(listed)));
					});
					assertThat(page.get("total").asLong()).isLessThanOrEqualTo(model.size());
				}
			}
			case COUNT -> assertThat(expect(response, 200).json().get("count").asLong()).isEqualTo(model.size());
		}
	}

	private void assertAUnchanged() {
		String token = this.a.accessToken();
		for (Map.Entry<String, String> entry : this.aEntries.entrySet()) {
			JsonNode stored = expect(this.api.get(path(entry.getKey()), token), 200).json();
			assertThat(stored.get("value")).isEqualTo(Answers.json(entry.getValue()));
			assertThat(stored.get("metadata").get("version").asLong()).isEqualTo(1);
			assertThat(stored.get("metadata").get("tags").get("owner").asString()).isEqualTo(this.canaryTag);
		}
		JsonNode page = expect(this.api.get("/api/v1/kv?page_size=1000&tag_filter=team:red", token), 200).json();
		assertThat(page.get("total").asLong()).isEqualTo(this.aEntries.size());
		assertThat(expect(this.api.get("/api/v1/kv/stats/count", token), 200).json().get("count").asLong())
			.isEqualTo(this.aEntries.size());
	}

}
