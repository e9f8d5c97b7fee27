package dev.kvstore.functions.lambda;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deploys the aws jar to LocalStack's Lambda, as SAM would one endpoint, and invokes it
 * with an API Gateway HTTP API event. It needs Docker, so it runs where Docker runs (an
 * integration test, after the jar is packaged) and is skipped here; the in-process tests
 * of this package prove the behaviour on every machine.
 */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackLambdaIT {

	static final Path JAR = Path.of("target/kvstore-functions-aws.jar");

	@Container
	static final LocalStackContainer localstack = new LocalStackContainer(
			DockerImageName.parse("localstack/localstack:3.8.1"))
		.withServices("lambda")
		.withFileSystemBind("/var/run/docker.sock", "/var/run/docker.sock")
		.withCopyFileToContainer(MountableFile.forHostPath(JAR), "/tmp/kvstore-aws.jar");

	@Test
	void servesAnHttpApiEventFromTheDeployedJar() throws Exception {
		assertThat(JAR).exists();
		awslocal("lambda", "create-function", "--function-name", "kvstore-health", "--runtime", "java21", "--handler",
				"dev.kvstore.functions.lambda.LambdaHandler::handleRequest", "--zip-file",
				"fileb:///tmp/kvstore-aws.jar", "--role", "arn:aws:iam::000000000000:role/kvstore", "--timeout", "60",
				"--memory-size", "1024", "--environment",
				"Variables={MAIN_CLASS=dev.kvstore.functions.FunctionsApplication,KVSTORE_ENTRY_FUNCTION=httpApi,"
						+ "KVSTORE_FUNCTION=health,REDIS_HOST=127.0.0.1,SECRET_KEY=localstack-secret-of-32-characters-at-least}");
		awslocal("lambda", "wait", "function-active-v2", "--function-name", "kvstore-health");
		String event = Files.readString(LambdaEvents.SAMPLES.resolve("apigw_http_event.json"))
			.replace("/my/path", "/health")
			.replace("\"method\": \"POST\"", "\"method\": \"GET\"");
		localstack.copyFileToContainer(Transferable.of(event.getBytes(StandardCharsets.UTF_8)), "/tmp/event.json");

		awslocal("lambda", "invoke", "--function-name", "kvstore-health", "--cli-binary-format", "raw-in-base64-out",
				"--payload", "file:///tmp/event.json", "/tmp/response.json");

		String response = localstack.execInContainer("cat", "/tmp/response.json").getStdout();
		assertThat(response).contains("\"statusCode\":200").contains("healthy");
	}

	private static void awslocal(String... command) throws Exception {
		String[] full = new String[command.length + 1];
		full[0] = "awslocal";
		System.arraycopy(command, 0, full, 1, command.length);
		ExecResult result = localstack.execInContainer(full);
		assertThat(result.getExitCode()).as(result.getStderr()).isZero();
	}

}
