package dev.kvstore.worker.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import dev.kvstore.routing.RouteTable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * docker-compose.yml cannot be run here (no Docker engine), so it is held to the compose
 * specification's own JSON schema and to the code: images, ports, variables and probe
 * paths.
 */
class ComposeFileTests {

	private static final Path ROOT = Path.of("..");

	private static final Path SCHEMA = ROOT.resolve("../shared/reference/schemas/compose-spec.json");

	private static final YAMLMapper yaml = new YAMLMapper();

	private static Schema schema;

	private final JsonNode compose = read(ROOT.resolve("docker-compose.yml"));

	@BeforeAll
	static void loadSchema() throws IOException {
		assumeTrue(Files.exists(SCHEMA), "the compose schema is not beside the repository (" + SCHEMA + ")");
		ObjectNode spec = (ObjectNode) JsonMapper.shared().readTree(Files.readString(SCHEMA));
		spec.remove("$id");
		schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7).getSchema(spec);
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
	void buildsEachAppFromATargetOfTheDockerfile() throws IOException {
		String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));

		for (String app : List.of("functions", "worker")) {
			String target = this.compose.get("services").get(app).get("build").get("target").asString();
			assertThat(dockerfile).contains("AS " + target + "\n");
			assertThat(dockerfile).contains("COPY --from=build /out/" + app + "/ ./");
		}
	}

	@Test
	void setsOnlyVariablesTheAppsRead() throws IOException {
		for (String app : List.of("functions", "worker")) {
			String config = Files.readString(ROOT.resolve(app + "/src/main/resources/application.yaml"));
			this.compose.get("services")
				.get(app)
				.get("environment")
				.propertyNames()
				.forEach((name) -> assertThat(config).as("%s reads %s", app, name).contains("${" + name + ":"));
		}
		String functions = Files.readString(ROOT.resolve("functions/src/main/resources/application.yaml"));
		String worker = Files.readString(ROOT.resolve("worker/src/main/resources/application.yaml"));
		Matcher variables = Pattern.compile("(?m)^([A-Z_]+)=").matcher(Files.readString(ROOT.resolve(".env.example")));
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

	private static JsonNode read(Path file) {
		try {
			return yaml.readTree(Files.readString(file));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
