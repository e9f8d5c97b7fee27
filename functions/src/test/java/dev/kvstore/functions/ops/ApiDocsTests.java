package dev.kvstore.functions.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import dev.kvstore.problem.ProblemType;
import dev.kvstore.functions.ApiClient;
import dev.kvstore.functions.ApiTest;
import dev.kvstore.routing.Route;
import dev.kvstore.routing.RouteTable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document and the route table are held to each other, nothing missing and
 * nothing extra; the documentation pages are served by the app itself.
 */
@ApiTest
class ApiDocsTests {

	@Autowired
	ApiClient api;

	@Test
	void documentsExactlyTheRouteTable() {
		JsonNode paths = document().get("paths");
		List<String> documented = new ArrayList<>();
		paths.properties()
			.forEach((path) -> path.getValue()
				.properties()
				.forEach((op) -> documented.add(op.getKey().toUpperCase() + " " + path.getKey() + " "
						+ op.getValue().get("operationId").asString())));

		assertThat(documented).containsExactlyInAnyOrderElementsOf(
				RouteTable.ROUTES.stream().map((r) -> r.method() + " " + r.path() + " " + r.function()).toList());
	}

	@Test
	void describesEveryOperationFully() {
		JsonNode document = document();
		for (Route route : RouteTable.ROUTES) {
			JsonNode op = document.get("paths").get(route.path()).get(route.method().toLowerCase());
			assertThat(op.get("responses").has(Integer.toString(route.status()))).as(route.function()).isTrue();
			assertThat(op.get("responses").has("503")).as(route.function()).isTrue();
			assertThat(op.has("security")).as(route.function()).isEqualTo(route.access() == Route.Access.BEARER);
			if (route.access() == Route.Access.BEARER) {
				assertThat(op.get("responses").has("401")).as(route.function()).isTrue();
			}
			if (route.method().equals("POST") || route.method().equals("PUT")) {
				assertThat(op.at("/requestBody/content/application~1json/example").isMissingNode()).as(route.function())
					.isFalse();
				assertThat(op.get("responses").has("400")).as(route.function()).isTrue();
			}
			for (String variable : variables(route.path())) {
				assertThat(op.get("parameters").valueStream().map((p) -> resolved(document, p).get("name").asString()))
					.contains(variable);
			}
		}
		document.at("/components/responses").forEach((response) -> {
			assertThat(response.at("/content/application~1problem+json/schema/$ref").asString())
				.isEqualTo("#/components/schemas/Problem");
			JsonNode example = response.at("/content/application~1problem+json/example");
			assertThat(example.get("type").asString()).startsWith(ProblemType.PATH);
		});
		assertThat(document.at("/components/securitySchemes/bearer/scheme").asString()).isEqualTo("bearer");
	}

	private static JsonNode resolved(JsonNode document, JsonNode node) {
		return node.has("$ref") ? document.at(node.get("$ref").asString().substring(1)) : node;
	}

	/** RFC 9457 section 3.1.1: a problem type's URI leads to its documentation. */
	@Test
	void servesTheDocumentationOfEveryProblemTypeAtItsUri() {
		for (ProblemType type : ProblemType.values()) {
			ApiClient.Response page = this.api.get(type.uri(), null);

			assertThat(page.status()).as(type.uri()).isEqualTo(200);
			assertThat(page.contentType()).startsWith("text/html");
			assertThat(page.body()).contains(type.title(), Integer.toString(type.status()));
		}
		assertThat(this.api.get(ProblemType.PATH.substring(0, ProblemType.PATH.length() - 1), null).body())
			.contains(ProblemType.PRECONDITION_FAILED.uri());
		assertThat(this.api.get(ProblemType.PATH + "nope", null).status()).isEqualTo(404);
		JsonNode problem = this.api.get("/api/v1/kv/k", null).problem(401);
		assertThat(this.api.get(problem.get("type").asString(), null).status()).isEqualTo(200);
	}

	@Test
	void resolvesEveryReference() {
		JsonNode document = document();
		Matcher refs = Pattern.compile("\"\\$ref\":\"#/([^\"]+)\"").matcher(document.toString());
		while (refs.find()) {
			assertThat(document.at("/" + refs.group(1)).isMissingNode()).as(refs.group(1)).isFalse();
		}
	}

	@Test
	void servesSwaggerUiWithItsAssets() {
		ApiClient.Response page = this.api.get("/docs", null);

		assertThat(page.status()).isEqualTo(200);
		assertThat(page.contentType()).startsWith("text/html");
		Matcher assets = Pattern.compile("(?:src|href)=\"(/[^\"]+)\"").matcher(page.body());
		int found = 0;
		while (assets.find()) {
			assertThat(this.api.get(assets.group(1), null).status()).as(assets.group(1)).isEqualTo(200);
			found++;
		}
		assertThat(found).isEqualTo(4);
	}

	@Test
	void servesReDocWithItsBundle() {
		ApiClient.Response page = this.api.get("/redoc", null);
		ApiClient.Response bundle = this.api.get("/redoc/redoc.standalone.js", null);

		assertThat(page.status()).isEqualTo(200);
		assertThat(page.body()).contains("spec-url=\"/openapi.json\"", "/redoc/redoc.standalone.js");
		assertThat(bundle.status()).isEqualTo(200);
		assertThat(bundle.body().length()).isGreaterThan(100_000);
	}

	private JsonNode document() {
		ApiClient.Response response = this.api.get("/openapi.json", null);
		assertThat(response.contentType()).startsWith("application/json");
		return response.ok(200);
	}

	private static List<String> variables(String path) {
		List<String> names = new ArrayList<>();
		Matcher variable = Pattern.compile("\\{(\\w+)}").matcher(path);
		while (variable.find()) {
			names.add(variable.group(1));
		}
		return names;
	}

}
