package dev.kvstore.worker.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every Lambda in template.yaml deploys the jar this build makes: the functions app's,
 * named once in the template's globals, or the worker's, at the pom's version. A version
 * bump that forgets the template fails here, not at deploy time.
 */
class SamPackagingTests {

	private static final Pattern PROJECT_VERSION = Pattern
		.compile("<artifactId>kvstore-parent</artifactId>\\s*<version>([^<]+)</version>");

	private final JsonNode template = RepositoryFiles.yaml("template.yaml");

	@Test
	void everyFunctionDeploysAJarOfThisBuild() throws IOException {
		Matcher version = PROJECT_VERSION.matcher(Files.readString(RepositoryFiles.ROOT.resolve("pom.xml")));
		assertThat(version.find()).isTrue();
		String functionsJar = "functions/target/kvstore-functions-" + version.group(1) + "-aws.jar";
		String workerJar = "worker/target/kvstore-worker-" + version.group(1) + "-aws.jar";
		String globalJar = this.template.at("/Globals/Function/CodeUri").asString();

		List<String> deployed = new ArrayList<>();
		this.template.get("Resources").forEach((resource) -> {
			if (resource.get("Type").asString().equals("AWS::Serverless::Function")) {
				JsonNode own = resource.at("/Properties/CodeUri");
				deployed.add(own.isMissingNode() ? globalJar : own.asString());
			}
		});

		assertThat(globalJar).isEqualTo(functionsJar);
		assertThat(deployed).containsOnly(functionsJar, workerJar).contains(workerJar);
		assertThat(deployed.stream().filter(workerJar::equals)).hasSize(2);
	}

}
