package dev.kvstore.worker.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.kvstore.routing.RouteTable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * template.yaml is held to the AWS SAM schema and to the route table: one Lambda per
 * route, with the route's method, path and function, and none more; the worker's
 * functions on their MQ and Schedule events.
 */
class SamTemplateTests {

	private static Schema schema;

	private final JsonNode template = RepositoryFiles.yaml("template.yaml");

	/** A route as the template serves it. */
	record Served(String method, String path, String function) {
	}

	@BeforeAll
	static void loadSchema() {
		RepositoryFiles.assumeSchemas();
		schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4)
			.getSchema(RepositoryFiles.jsonSchema("sam.schema.json"));
	}

	@Test
	void followsTheSamSchema() {
		assertThat(schema.validate(this.template)).isEmpty();
	}

	@Test
	void catchesABrokenCopy() {
		ObjectNode broken = (ObjectNode) this.template.deepCopy();
		((ObjectNode) broken.get("Resources").get("GetKeyFunction").get("Properties")).put("Runtim", "java21");

		List<Error> errors = schema.validate(broken);

		assertThat(errors).extracting(Error::toString).anySatisfy((error) -> assertThat(error).contains("Runtim"));
	}

	@Test
	void servesExactlyTheRouteTable() {
		List<Served> served = new ArrayList<>();
		this.template.get("Resources").forEach((resource) -> {
			JsonNode properties = resource.path("Properties");
			properties.path("Events").forEach((event) -> {
				if (event.get("Type").asString().equals("HttpApi")) {
					served.add(new Served(event.get("Properties").get("Method").asString(),
							event.get("Properties").get("Path").asString(),
							properties.get("Environment").get("Variables").get("KVSTORE_FUNCTION").asString()));
				}
			});
		});

		assertThat(served).containsExactlyInAnyOrderElementsOf(RouteTable.lambdaRoutes()
			.stream()
			.map((route) -> new Served(route.method(), route.path(), route.function()))
			.toList());
	}

	@Test
	void runsEveryFunctionOnJava21WithSnapStartAndTheWorkerOnItsEvents() {
		JsonNode globals = this.template.get("Globals").get("Function");
		JsonNode resources = this.template.get("Resources");

		assertThat(globals.get("Runtime").asString()).isEqualTo("java21");
		assertThat(globals.get("SnapStart").get("ApplyOn").asString()).isEqualTo("PublishedVersions");
		assertThat(globals.get("AutoPublishAlias").asString()).isNotBlank();
		assertThat(globals.get("MemorySize").asInt()).isPositive();
		assertThat(globals.get("Timeout").asInt()).isPositive();
		assertThat(this.template.get("Parameters").get("SecretKey").get("NoEcho").asBoolean()).isTrue();
		assertThat(
				resources.get("AuditFunction").get("Properties").get("Events").get("AuditQueue").get("Type").asString())
			.isEqualTo("MQ");
		assertThat(resources.get("TtlCleanupFunction")
			.get("Properties")
			.get("Events")
			.get("Every5Minutes")
			.get("Type")
			.asString()).isEqualTo("Schedule");
		assertThat(this.template.get("Outputs").get("ApiUrl")).isNotNull();
	}

}
