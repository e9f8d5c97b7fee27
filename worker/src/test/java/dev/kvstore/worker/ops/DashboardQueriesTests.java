package dev.kvstore.worker.ops;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.kvstore.RedisCluster;
import dev.kvstore.RedisProcess;
import dev.kvstore.TestBroker;
import dev.kvstore.TestServices;
import dev.kvstore.worker.TestExchange;
import dev.kvstore.worker.WorkerTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The dashboard and the alert rules held to the apps: a real Prometheus (Debian's
 * {@code prometheus}), started on a spare loopback port with the repository's scrape
 * configuration pointed at a functions app (its jar, as a process) and this worker,
 * scrapes them under a little traffic; then every panel's and every rule's PromQL must
 * return data through Prometheus's HTTP API (a rule without its threshold: the series it
 * compares exist). Skipped where no Prometheus is installed, or the functions jar is not
 * built.
 */
@WorkerTest
@Tag(RedisCluster.OWN_REDIS) // metrics, not the store's topology: once is enough
class DashboardQueriesTests {

	private static final Path PROMETHEUS_BINARY = Path.of("/usr/bin/prometheus");

	private static final Pattern THRESHOLD = Pattern.compile("\\s*(>|<|>=|<=|==|!=)\\s*[0-9.e+-]+\\s*$");

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final List<Process> processes = new ArrayList<>();

	@TempDir
	Path work;

	@LocalServerPort
	int workerPort;

	@Autowired
	TestExchange exchange;

	@AfterEach
	void stop() {
		this.processes.forEach(Process::destroyForcibly);
	}

	@Test
	void everyPanelAndRuleQueriesSeriesTheAppsExpose() throws Exception {
		assumeTrue(Files.isExecutable(PROMETHEUS_BINARY), "Prometheus is not installed (Debian's prometheus package)");
		File functionsJar = functionsJar();
		assumeTrue(functionsJar != null, "the functions jar is not built (../functions/target)");
		int functionsPort = RedisProcess.freePort();
		startFunctions(functionsJar, functionsPort);
		int prometheusPort = RedisProcess.freePort();
		startPrometheus(prometheusPort, functionsPort);

		try {
			await().atMost(Duration.ofSeconds(60))
				.ignoreExceptions()
				.until(() -> query(prometheusPort, "up == 1").size() == 2);
			// Two rounds of traffic, a scrape between them: counters grow from one scrape
			// to the next, so rates are not zero, however fast a round is.
			String base = "http://127.0.0.1:" + functionsPort;
			String name = "ops_" + System.nanoTime();
			String token = register(base, name);
			traffic(base, name, token);
			await().atMost(Duration.ofSeconds(60))
				.until(() -> query(prometheusPort, "kvstore_limit_refusals_total").size() > 0);
			traffic(base, name, token);
			await().atMost(Duration.ofSeconds(60))
				.until(() -> query(prometheusPort, "increase(kvstore_limit_refusals_total[1m]) > 0").size() > 0
						&& query(prometheusPort, "rate(http_requests_total[1m]) > 0").size() > 0);
		}
		catch (ConditionTimeoutException ex) {
			throw new AssertionError(
					"Prometheus did not scrape both apps under traffic: up is " + query(prometheusPort, "up")
							+ ", with\n" + Files.readString(this.work.resolve("prometheus.yml"))
							+ "\nthe functions app's log:\n" + Files.readString(this.work.resolve("functions.log")),
					ex);
		}

		List<String> empty = new ArrayList<>();
		for (String expression : expressions()) {
			if (query(prometheusPort, expression).isEmpty()) {
				empty.add(expression);
			}
		}
		assertThat(empty).as("queries that return no data").isEmpty();
	}

	/** Every panel's query (Grafana's rate interval as 1m) and every rule's. */
	private static List<String> expressions() throws IOException {
		List<String> expressions = new ArrayList<>();
		JsonNode dashboard = JsonMapper.shared()
			.readTree(Files.readString(Path.of("../ops/grafana/dashboards/kvstore.json")));
		dashboard.get("panels")
			.forEach((panel) -> panel.get("targets")
				.forEach((target) -> expressions.add(target.get("expr").asString().replace("$__rate_interval", "1m"))));
		JsonNode rules = new YAMLMapper()
			.readTree(Files.readString(OperationsFilesTests.PROMETHEUS.resolve("alerts.yml")));
		rules.get("groups")
			.forEach((group) -> group.get("rules")
				.forEach((rule) -> expressions
					.add(THRESHOLD.matcher(rule.get("expr").asString().strip()).replaceAll(""))));
		return expressions;
	}

	private static File functionsJar() {
		File[] jars = new File("../functions/target")
			.listFiles((dir, name) -> name.matches("kvstore-functions-.*[0-9T]\\.jar"));
		return (jars != null && jars.length > 0) ? jars[0] : null;
	}

	private void startFunctions(File jar, int port) throws IOException {
		String java = ProcessHandle.current().info().command().orElse("java");
		ProcessBuilder builder = new ProcessBuilder(java, "-jar", jar.getAbsolutePath())
			.redirectOutput(this.work.resolve("functions.log").toFile())
			.redirectErrorStream(true);
		Map<String, String> environment = builder.environment();
		environment.put("PORT", Integer.toString(port));
		environment.put("SECRET_KEY", "a-secret-of-at-least-32-characters-for-tests");
		environment.put("BCRYPT_STRENGTH", "4");
		environment.put("REDIS_HOST", TestServices.redisHost());
		environment.put("REDIS_PORT", Integer.toString(TestServices.redisPort()));
		environment.put("RABBITMQ_HOST", TestBroker.host());
		environment.put("RABBITMQ_PORT", Integer.toString(TestBroker.port()));
		environment.put("AUDIT_EXCHANGE", this.exchange.name());
		environment.put("LOGIN_MAX_FAILURES_PER_USER", "1");
		for (String setting : List.of(TestBroker.QUORUM, TestBroker.DEAD_LETTERS)) {
			if (System.getProperty(setting) != null) {
				environment.put(setting, System.getProperty(setting));
			}
		}
		this.processes.add(builder.start());
		await().atMost(Duration.ofSeconds(60))
			.ignoreExceptions()
			.until(() -> get(URI.create("http://127.0.0.1:" + port + "/health"), null).statusCode() == 200);
	}

	private static String register(String base, String name) throws Exception {
		String registration = "{\"username\":\"%s\",\"email\":\"%s@example.com\",\"password\":\"Passw0rdX\"}"
			.formatted(name, name);
		return JsonMapper.shared()
			.readTree(post(URI.create(base + "/api/v1/auth/register"), registration, null).body())
			.get("access_token")
			.asString();
	}

	/** Reads, writes, a 404 and logins throttled to 429: series for every panel. */
	private static void traffic(String base, String name, String token) throws Exception {
		for (int i = 0; i < 20; i++) {
			post(URI.create(base + "/api/v1/kv"), "{\"key\":\"k" + i + "\",\"value\":" + i + "}", token);
			get(URI.create(base + "/api/v1/kv/k" + i), token);
			get(URI.create(base + "/api/v1/kv/missing" + i), token);
		}
		for (int i = 0; i < 3; i++) {
			post(URI.create(base + "/api/v1/auth/login"), "{\"username\":\"" + name + "\",\"password\":\"Wrong0ne\"}",
					null);
		}
	}

	private void startPrometheus(int port, int functionsPort) throws IOException {
		YAMLMapper yaml = new YAMLMapper();
		Map<String, Object> config = yaml
			.readValue(Files.readString(OperationsFilesTests.PROMETHEUS.resolve("prometheus.yml")), HashMap.class);
		String scrapes = yaml.writeValueAsString(config)
			.replace("functions:8080", "127.0.0.1:" + functionsPort)
			.replace("worker:8081", "127.0.0.1:" + this.workerPort)
			.replace("scrape_interval: \"15s\"", "scrape_interval: \"1s\"")
			.replace("scrape_interval: 15s", "scrape_interval: 1s");
		Files.writeString(this.work.resolve("prometheus.yml"), scrapes);
		Files.copy(OperationsFilesTests.PROMETHEUS.resolve("alerts.yml"), this.work.resolve("alerts.yml"));
		this.processes.add(
				new ProcessBuilder(PROMETHEUS_BINARY.toString(), "--config.file=" + this.work.resolve("prometheus.yml"),
						"--storage.tsdb.path=" + this.work.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
					.redirectOutput(this.work.resolve("prometheus.log").toFile())
					.redirectErrorStream(true)
					.start());
	}

	private static List<JsonNode> query(int port, String expression) throws Exception {
		HttpResponse<String> answer = get(URI.create("http://127.0.0.1:" + port + "/api/v1/query?query="
				+ URLEncoder.encode(expression, StandardCharsets.UTF_8)), null);
		JsonNode body = JsonMapper.shared().readTree(answer.body());
		assertThat(body.get("status").asString()).as(expression + ": " + answer.body()).isEqualTo("success");
		List<JsonNode> result = new ArrayList<>();
		body.get("data").get("result").forEach(result::add);
		return result;
	}

	private static HttpResponse<String> get(URI uri, String token) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static HttpResponse<String> post(URI uri, String json, String token) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri)
			.timeout(Duration.ofSeconds(10))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json));
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
