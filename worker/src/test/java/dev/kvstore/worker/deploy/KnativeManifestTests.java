package dev.kvstore.worker.deploy;

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
import dev.kvstore.worker.http.CloudEventEdge;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * knative/ is held to the real schemas (the Knative Service and PingSource, the
 * eventing-rabbitmq RabbitmqSource CRD made strict) and to the code: images, ports, probe
 * paths, variables and the worker's trigger paths.
 */
class KnativeManifestTests {

	private static Schema service;

	private static Schema pingSource;

	private static Schema rabbitmqSource;

	private final JsonNode functions = RepositoryFiles.yaml("knative/functions-service.yaml");

	private final JsonNode worker = RepositoryFiles.yaml("knative/worker-service.yaml");

	private final JsonNode audit = RepositoryFiles.yaml("knative/audit-source.yaml");

	private final JsonNode ping = RepositoryFiles.yaml("knative/cleanup-ping.yaml");

	@BeforeAll
	static void loadSchemas() {
		RepositoryFiles.assumeSchemas();
		SchemaRegistry draft7 = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7);
		service = draft7.getSchema(RepositoryFiles.jsonSchema("knative-serving-service_v1.json"));
		pingSource = draft7.getSchema(RepositoryFiles.jsonSchema("knative-sources-pingsource_v1.json"));
		JsonNode crd = RepositoryFiles.yamlSchema("knative-rabbitmqsource-crd.yaml");
		JsonNode v1alpha1 = null;
		for (JsonNode version : crd.get("spec").get("versions")) {
			if (version.get("name").asString().equals("v1alpha1")) {
				v1alpha1 = version.get("schema").get("openAPIV3Schema");
			}
		}
		rabbitmqSource = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4)
			.getSchema(strict(v1alpha1.deepCopy()));
	}

	@Test
	void followTheirSchemas() {
		assertThat(service.validate(this.functions)).isEmpty();
		assertThat(service.validate(this.worker)).isEmpty();
		assertThat(pingSource.validate(this.ping)).isEmpty();
		assertThat(rabbitmqSource.validate(this.audit)).isEmpty();
	}

	@Test
	void catchBrokenCopies() {
		ObjectNode service = (ObjectNode) this.functions.deepCopy();
		((ObjectNode) service.at("/spec/template/spec")).put("containerConcurency", 10);
		ObjectNode ping = (ObjectNode) this.ping.deepCopy();
		((ObjectNode) ping.get("spec")).put("schedul", "* * * * *");
		ObjectNode source = (ObjectNode) this.audit.deepCopy();
		((ObjectNode) source.at("/spec/rabbitmqResourcesConfig")).put("exchange", "typo");

		assertThat(messages(KnativeManifestTests.service.validate(service)))
			.anySatisfy((m) -> assertThat(m).contains("containerConcurency"));
		assertThat(messages(pingSource.validate(ping))).anySatisfy((m) -> assertThat(m).contains("schedul"));
		assertThat(messages(rabbitmqSource.validate(source))).anySatisfy((m) -> assertThat(m).contains("exchange"));
	}

	@Test
	void agreeWithTheCode() {
		JsonNode api = this.functions.at("/spec/template/spec/containers/0");
		JsonNode work = this.worker.at("/spec/template/spec/containers/0");
		String dockerfile = RepositoryFiles.text("Dockerfile");

		assertThat(api.get("image").asString()).contains("kvstore-functions");
		assertThat(work.get("image").asString()).contains("kvstore-worker");
		assertThat(dockerfile).contains("AS functions\n", "AS worker\n");
		assertThat(api.at("/ports/0/containerPort").asInt()).isEqualTo(8080);
		assertThat(work.at("/ports/0/containerPort").asInt()).isEqualTo(8081);
		assertThat(routePaths()).contains(api.at("/readinessProbe/httpGet/path").asString(),
				api.at("/livenessProbe/httpGet/path").asString());
		assertThat(work.at("/readinessProbe/httpGet/path").asString()).isEqualTo("/health");
		assertThat(this.audit.at("/spec/sink/uri").asString()).isEqualTo(CloudEventEdge.AUDIT_PATH);
		assertThat(this.ping.at("/spec/sink/uri").asString()).isEqualTo(CloudEventEdge.CLEANUP_PATH);
		assertThat(this.audit.at("/spec/sink/ref/name").asString())
			.isEqualTo(this.worker.at("/metadata/name").asString());
		assertThat(this.ping.at("/spec/sink/ref/name").asString())
			.isEqualTo(this.worker.at("/metadata/name").asString());
		assertThat(this.worker.at("/metadata/labels/networking.knative.dev~1visibility").asString())
			.isEqualTo("cluster-local");
		assertThat(
				this.functions.at("/spec/template/metadata/annotations/autoscaling.knative.dev~1min-scale").asString())
			.isEqualTo("0");
	}

	@Test
	void setOnlyVariablesTheAppsRead() {
		String functionsConfig = RepositoryFiles.text("functions/src/main/resources/application.yaml");
		String workerConfig = RepositoryFiles.text("worker/src/main/resources/application.yaml");
		for (JsonNode variable : this.functions.at("/spec/template/spec/containers/0/env")) {
			assertThat(functionsConfig).contains("${" + variable.get("name").asString() + ":");
		}
		for (JsonNode variable : this.worker.at("/spec/template/spec/containers/0/env")) {
			assertThat(workerConfig).contains("${" + variable.get("name").asString() + ":");
		}
		RepositoryFiles.yaml("knative/config.yaml")
			.get("data")
			.propertyNames()
			.forEach((name) -> assertThat(functionsConfig + workerConfig).as("config variable %s is read", name)
				.contains("${" + name + ":"));
	}

	private static List<String> routePaths() {
		return RouteTable.ROUTES.stream().map((route) -> route.path()).toList();
	}

	private static List<String> messages(List<Error> errors) {
		return errors.stream().map(Error::toString).toList();
	}

	/**
	 * Adds additionalProperties: false wherever properties are listed and nothing else is
	 * said.
	 */
	private static JsonNode strict(JsonNode schema) {
		if (schema instanceof ObjectNode object) {
			if (object.has("properties") && !object.has("additionalProperties")
					&& !object.has("x-kubernetes-preserve-unknown-fields")) {
				object.put("additionalProperties", false);
			}
			object.forEach(KnativeManifestTests::strict);
		}
		else if (schema.isArray()) {
			schema.forEach(KnativeManifestTests::strict);
		}
		return schema;
	}

}
