package dev.kvstore.worker.deploy;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
 * docker-compose.yml cannot be run here (no Docker engine), so it is held to the compose
 * specification's own JSON schema and to the code: images, ports, variables and probe
 * paths.
 */
class ComposeFileTests {

	private static Schema schema;

	private final JsonNode compose = RepositoryFiles.yaml("docker-compose.yml");

	@BeforeAll
	static void loadSchema() {
		RepositoryFiles.assumeSchemas();
		schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7)
			.getSchema(RepositoryFiles.jsonSchema("compose-spec.json"));
	}

	@Test
	void followsTheComposeSpecification() {
		assertThat(schema.validate(this.compose)).isEmpty();
	}

	@Test
	void catchesABrokenCopy() {
		ObjectNode broken = (ObjectNode) this.compose.deepCopy();
		((ObjectNode) broken.get("services").get("functions")).put("imagee", "kvstore");
		((ObjectNode) broken.get("services").get("redis")).put("restart", 7);

		List<Error> errors = schema.validate(broken);

		assertThat(errors).extracting(Error::toString)
			.anySatisfy((message) -> assertThat(message).contains("imagee"))
			.anySatisfy((message) -> assertThat(message).contains("restart"));
	}

	@Test
	void buildsEachAppFromATargetOfTheDockerfile() {
		String dockerfile = RepositoryFiles.text("Dockerfile");

		for (String app : List.of("functions", "worker")) {
			String target = this.compose.get("services").get(app).get("build").get("target").asString();
			assertThat(dockerfile).contains("AS " + target + "\n");
			assertThat(dockerfile).contains("COPY --from=build /out/" + app + "/ ./");
		}
	}

	@Test
	void setsOnlyVariablesTheAppsRead() {
		for (String app : List.of("functions", "worker")) {
			String config = RepositoryFiles.text(app + "/src/main/resources/application.yaml");
			this.compose.get("services")
				.get(app)
				.get("environment")
				.propertyNames()
				.forEach((name) -> assertThat(config).as("%s reads %s", app, name).contains("${" + name + ":"));
		}
		String functions = RepositoryFiles.text("functions/src/main/resources/application.yaml");
		String worker = RepositoryFiles.text("worker/src/main/resources/application.yaml");
		Matcher variables = Pattern.compile("(?m)^([A-Z_]+)=").matcher(RepositoryFiles.text(".env.example"));
		while (variables.find()) {
			String name = variables.group(1);
			assertThat(functions + worker).as(".env.example's %s is read by an app", name).contains("${" + name + ":");
		}
	}

	@Test
	void pointsTheAppsAtTheServicesAndProbesRealPaths() {
		JsonNode services = this.compose.get("services");
		for (String app : List.of("functions", "worker")) {
			JsonNode environment = services.get(app).get("environment");
			assertThat(services.has(environment.get("REDIS_HOST").asString())).isTrue();
			assertThat(services.has(environment.get("RABBITMQ_HOST").asString())).isTrue();
		}
		assertThat(services.get("functions").get("ports").get(0).asString()).endsWith(":8080");
		assertThat(services.get("functions").get("environment").get("PORT").asString()).isEqualTo("8080");
		String probe = services.get("functions").get("healthcheck").get("test").toString();
		assertThat(RouteTable.ROUTES).anySatisfy((route) -> assertThat(probe).contains("GET " + route.path() + " "));
		assertThat(services.get("redis").get("command").toString()).contains("--appendonly", "yes");
	}

}
