package dev.kvstore.worker.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The alert rules and the scrape configuration of ops/prometheus, held to Prometheus's
 * own checker and to their unit tests ({@code promtool check} and
 * {@code promtool test rules}), wherever promtool is installed (Debian's
 * {@code prometheus} package).
 */
class OperationsFilesTests {

	static final Path PROMETHEUS = Path.of("../ops/prometheus");

	@Test
	void alertRulesAreValidAndPassTheirUnitTests() throws Exception {
		assertThat(promtool("check", "rules", "alerts.yml")).contains("SUCCESS: 5 rules found");
		assertThat(promtool("test", "rules", "alerts-test.yml")).contains("SUCCESS");
	}

	@Test
	void scrapeConfigurationIsValid() throws Exception {
		assertThat(promtool("check", "config", "prometheus.yml")).contains("SUCCESS");
	}

	/** Runs promtool in ops/prometheus; fails the test on a non-zero exit. */
	private static String promtool(String... arguments) throws IOException, InterruptedException {
		assumeTrue(Files.isExecutable(Path.of("/usr/bin/promtool")),
				"promtool is not installed (Debian's prometheus package): the rules are not checked here");
		List<String> command = new java.util.ArrayList<>(List.of("/usr/bin/promtool"));
		command.addAll(List.of(arguments));
		Process process = new ProcessBuilder(command).directory(PROMETHEUS.toFile()).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes());
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(output).isZero();
		return output;
	}

}
