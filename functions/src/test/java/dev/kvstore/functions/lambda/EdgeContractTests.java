package dev.kvstore.functions.lambda;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.beans.factory.annotation.Autowired;

import dev.kvstore.functions.ApiClient;
import dev.kvstore.functions.ApiTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One table of requests, every endpoint with its success and error answers, run through
 * the HTTP edge and through the Lambda edge (API Gateway HTTP API and REST API events,
 * in-process through FunctionInvoker): they must answer alike, status, body and headers,
 * but for times, ids, tokens and the user's own name.
 */
@ApiTest
class EdgeContractTests {

	private static final List<String> COMPARED_HEADERS = List.of("Content-Type", "WWW-Authenticate", "Allow",
			"Retry-After");

	/** Fields whose values differ from run to run. */
	private static final List<String> VOLATILE = List.of("created_at", "updated_at", "expires_at", "tenant_id",
			"access_token", "refresh_token", "latency_ms", "event_id", "timestamp", "request_id", "next");

	private static LambdaEvents httpApi;

	private static LambdaEvents restApi;

	@Autowired
	ApiClient http;

	/**
	 * One step of the table; {@code {user}} in the path or body becomes the edge's own
	 * user name.
	 */
	record Step(String method, String path, String body, boolean withToken) {
	}

	/** What an edge answered, ready to compare. */
	record Answer(int status, Map<String, String> headers, JsonNode body) {
	}

	@BeforeAll
	static void startLambdas() {
		LambdaEvents.assumeSamples();
		httpApi = LambdaEvents.start("httpApi", "");
		restApi = LambdaEvents.start("restApi", "");
	}

	@Test
	void httpApiEventsAnswerExactlyAsHttp() {
		List<Step> table = table(true);

		List<Answer> overHttp = run(table, (step, token) -> {
			ApiClient.Response r = this.http.send(step.method(), step.path(), token, step.body());
			Map<String, String> headers = new LinkedHashMap<>();
			COMPARED_HEADERS.forEach((name) -> r.headers().firstValue(name).ifPresent((v) -> headers.put(name, v)));
			return new Answer(r.status(), headers, parse(r.body()));
		});
		List<Answer> overLambda = run(table, lambda(httpApi));

		assertThat(overLambda).containsExactlyElementsOf(overHttp);
	}

	@Test
	void restApiEventsAnswerExactlyAsHttpApiEvents() {
		List<Step> table = table(false);

		assertThat(run(table, lambda(restApi))).containsExactlyElementsOf(run(table, lambda(httpApi)));
	}

	interface Edge {

		Answer send(Step step, String token);

	}

	private static Edge lambda(LambdaEvents lambda) {
		return (step, token) -> {
			LambdaEvents.Response r = lambda.send(step.method(), step.path(), token, step.body(),
					(step.body() != null) ? Map.of("content-type", "application/json") : Map.of());
			Map<String, String> headers = new LinkedHashMap<>();
			COMPARED_HEADERS.forEach((name) -> {
				if (r.headers().containsKey(name)) {
					headers.put(name, r.headers().get(name));
				}
			});
			return new Answer(r.status(), headers, parse(r.body()));
		};
	}

	/**
	 * Runs the table as a new user of its own; returns the answers with volatile values
	 * blanked.
	 */
	private static List<Answer> run(List<Step> table, Edge edge) {
		String user = "u" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
		String token = null;
		List<Answer> answers = new ArrayList<>();
		for (Step step : table) {
			Step own = new Step(step.method(), step.path().replace("{user}", user),
					(step.body() != null) ? step.body().replace("{user}", user) : null, step.withToken());
			Answer answer = edge.send(own, step.withToken() ? token : null);
			if (token == null && answer.status() == 201 && answer.body().has("access_token")) {
				token = answer.body().get("access_token").asString();
			}
			answers.add(new Answer(answer.status(), answer.headers(), blank(answer.body(), user)));
		}
		return answers;
	}

	/**
	 * @param slashKeys whether the edge sees paths still encoded (HTTP, HTTP API events):
	 * then keys with '/' and broken escapes are part of the table; REST API events carry
	 * paths and queries decoded.
	 */
	private static List<Step> table(boolean slashKeys) {
		String key = slashKeys ? "a%2Fb%20c" : "a%3Ab%20c";
		String rawKey = slashKeys ? "a/b c" : "a:b c";
		String registration = "{\"username\":\"{user}\",\"email\":\"{user}@example.com\",\"password\":\"Passw0rdX\"}";
		return List.of(new Step("POST", "/api/v1/auth/register", registration, false),
				new Step("POST", "/api/v1/auth/register", registration, false),
				new Step("POST", "/api/v1/auth/register",
						"{\"username\":\"{user}2\",\"email\":\"x\",\"password\":\"short\"}", false),
				new Step("POST", "/api/v1/auth/login", "{\"username\":\"{user}\",\"password\":\"Wrong-passw0rd\"}",
						false),
				new Step("POST", "/api/v1/auth/login", "{\"username\":\"{user}\",\"password\":\"Passw0rdX\"}", false),
				new Step("GET", "/api/v1/auth/me", null, true), new Step("GET", "/api/v1/auth/me", null, false),
				new Step("POST", "/api/v1/auth/refresh", "{\"refresh_token\":\"not-a-token\"}", false),
				new Step("POST", "/api/v1/kv",
						"{\"key\":\"" + rawKey
								+ "\",\"value\":{\"n\":1.50,\"list\":[true,null]},\"ttl\":600,\"tags\":{\"t\":\"v\"}}",
						true),
				new Step("POST", "/api/v1/kv", "{\"key\":\"" + rawKey + "\",\"value\":2}", true),
				new Step("GET", "/api/v1/kv/" + key, null, true),
				new Step("PUT", "/api/v1/kv/" + key, "{\"value\":\"two\",\"ttl\":null}", true),
				new Step("GET", "/api/v1/kv/" + key + "/exists", null, true),
				new Step("GET", "/api/v1/kv/" + key + "/ttl", null, true),
				new Step("POST", "/api/v1/kv/batch",
						"{\"items\":[{\"key\":\"b1\",\"value\":1},{\"key\":\"b2\",\"value\":2}]}", true),
				new Step("POST", "/api/v1/kv/batch",
						"{\"items\":[{\"key\":\"d\",\"value\":1},{\"key\":\"d\",\"value\":2}]}", true),
				new Step("GET", "/api/v1/kv?page=1&page_size=2&tag_filter=t%3Av", null, true),
				new Step("GET", "/api/v1/kv?page=2&page_size=2", null, true),
				new Step("GET", "/api/v1/kv?page=1&page=2", null, true),
				new Step("GET", "/api/v1/kv/stats/count", null, true), new Step("POST", "/api/v1/kv", "not json", true),
				new Step("POST", "/api/v1/kv", "{\"key\":\"\",\"value\":1}", true),
				new Step("GET", "/api/v1/kv/missing", null, true), new Step("GET", "/api/v1/kv/missing", null, false),
				new Step("PATCH", "/api/v1/kv/x", "{}", true), new Step("GET", "/nowhere", null, false),
				new Step("DELETE", "/api/v1/kv/" + key, null, true),
				new Step("DELETE", "/api/v1/kv/" + key, null, true),
				new Step("GET", "/api/v1/audit?limit=0", null, true), new Step("GET", "/health", null, false),
				new Step("GET", "/api/v1/health/ready", null, false),
				new Step("PUT", "/api/v1/auth/me",
						"{\"email\":\"{user}@example.org\",\"current_password\":\"Passw0rdX\"}", true),
				new Step("DELETE", "/api/v1/auth/me", null, true),
				new Step("GET", "/api/v1/kv/stats/count", null, true));
	}

	private static JsonNode parse(String body) {
		if (body == null || body.isEmpty()) {
			return JsonMapper.shared().nullNode();
		}
		return JsonMapper.shared().readTree(body);
	}

	private static JsonNode blank(JsonNode node, String user) {
		if (node instanceof ObjectNode object) {
			ObjectNode copy = object.deepCopy();
			for (String field : VOLATILE) {
				if (copy.has(field) && !copy.get(field).isNull()) {
					copy.put(field, "<" + field + ">");
				}
			}
			copy.properties().forEach((entry) -> {
				JsonNode value = entry.getValue();
				if (value.isString()) {
					copy.put(entry.getKey(), value.asString().replace(user, "<user>"));
				}
				else {
					copy.set(entry.getKey(), blank(value, user));
				}
			});
			return copy;
		}
		if (node.isArray()) {
			var array = JsonMapper.shared().createArrayNode();
			node.forEach((item) -> array.add(blank(item, user)));
			return array;
		}
		return node;
	}

}
