package dev.kvstore.worker.deploy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every Lambda in template.yaml deploys a jar this build writes: the functions app's,
 * named once in the template's globals, or the worker's. The build names them without a
 * version (the shade plugin's {@code outputFile}), so a version bump changes nothing
 * here.
 */
class SamPackagingTests {

	private final JsonNode template = RepositoryFiles.yaml("template.yaml");

	@Test
	void everyFunctionDeploysAJarThisBuildWrites() {
		String functionsJar = "functions/target/kvstore-functions-aws.jar";
		String workerJar = "worker/target/kvstore-worker-aws.jar";
		String globalJar = this.template.at("/Globals/Function/CodeUri").asString();

		List<String> deployed = new ArrayList<>();
		this.template.get("Resources").forEach((resource) -> {
			if (resource.get("Type").asString().equals("AWS::Serverless::Function")) {
				JsonNode own = resource.at("/Properties/CodeUri");
				deployed.add(own.isMissingNode() ? globalJar : own.asString());
			}
		});

		assertThat(globalJar).isEqualTo(functionsJar);
		assertThat(deployed.stream().filter(workerJar::equals)).hasSize(2);
		assertThat(deployed).containsOnly(functionsJar, workerJar);
		assertThat(RepositoryFiles.text("pom.xml"))
			.contains("<outputFile>${project.build.directory}/${project.artifactId}-aws.jar</outputFile>");
	}

}
