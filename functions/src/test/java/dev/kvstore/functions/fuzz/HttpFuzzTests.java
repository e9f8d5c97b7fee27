package dev.kvstore.functions.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import dev.kvstore.functions.ApiClient;
import dev.kvstore.functions.ApiClient.Session;
import dev.kvstore.functions.fuzz.HttpFuzzer.Case;
import dev.kvstore.functions.fuzz.HttpFuzzer.Mutation;
import dev.kvstore.functions.fuzz.RawHttp.Exchange;
import dev.kvstore.functions.fuzz.RawHttp.Response;
import dev.kvstore.json.ApiJson;
import dev.kvstore.kv.KvSettings;
import dev.kvstore.problem.ApiException;
import dev.kvstore.routing.RouteTable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sends {@code fuzz.count} requests (2000 by default) generated from the route table and
 * broken in the ways of {@link Mutation} (seed {@code fuzz.seed}) over raw sockets, and
 * holds every answer to the rules: a well-formed HTTP response below 500 (or the
 * connection closed, counted apart), problem+json for every 4xx the app gives, no stack
 * trace, no header the request smuggled in, the route table's own answer for a path that
 * has no route or not that method, and never a byte of another tenant's canary. At the
 * end the app's own {@code http_requests_total} must show no 5xx either. Prints a summary
 * by mutation and status; {@code bench/fuzz.sh} runs it with a larger count.
 * <p>
 * With {@code fuzz.wellFormed} above 0, that many well-formed requests go first (held to
 * the same rules), and the heap the app and the test share, after a full collection, must
 * be no larger after the fuzz run than after them but for the tokens the run minted,
 * which the app remembers in a bounded cache: a broken request leaves nothing behind that
 * a good one would not (a meter per made-up method did, once).
 */
@FuzzTest
class HttpFuzzTests {

	static final long SEED = Long.getLong("fuzz.seed", 20261126L);

	static final int COUNT = Integer.getInteger("fuzz.count", 2000);

	static final int WELL_FORMED = Integer.getInteger("fuzz.wellFormed", 0);

	/**
	 * What a heap after a full collection may vary by between two runs that keep nothing.
	 */
	private static final long HEAP_NOISE_BYTES = 2L << 20;

	/**
	 * Heap a remembered verified token takes, with its cache entry (a class histogram of
	 * a long run: about 1.07 KiB). The app keeps at most 10,000; each login, refresh or
	 * registration of the run mints new ones.
	 */
	private static final long REMEMBERED_TOKEN_BYTES = 1100;

	private static final int TIMEOUT_MILLIS = 20_000;

	private static final int SHOWN_FAILURES = 10;

	private static final int KEPT_FAILURES = 100;

	private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

	/** A method as RFC 9110 spells one; the server reads anything else its own way. */
	private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

	private static final String TOPOLOGY = Boolean.getBoolean("kvstore.test.redis-cluster") ? "cluster" : "redis";

	private static final Pattern SERVER_ERRORS = Pattern
		.compile("(?m)^http_requests_total\\{[^}]*status=\"5[0-9][0-9]\"[^}]*\\} ([0-9.Ee+]+)$");

	@Autowired
	ApiClient api;

	@Autowired
	KvSettings settings;

	@Autowired
	MeterRegistry meters;

	@Test
	void everyRouteAnswersEveryBrokenRequestWithAWellFormedAnswerBelow500() {
		Pool tenants = new Pool(this.api, 3);
		Session canaryTenant = this.api.register();
		String canary = "fuzz-canary-" + UUID.randomUUID();
		plant(canaryTenant, "\"" + canary + "\"");
		long serverErrorsBefore = serverErrors();
		int maxBody = this.settings.maxRequestSize();
		Summary wellFormed = new Summary();
		if (WELL_FORMED > 0) {
			send(new HttpFuzzer(new Random(SEED + 1), tenants, maxBody)::nextWellFormed, WELL_FORMED, wellFormed,
					tenants, canary);
			wellFormed.after = snapshot();
		}
		HttpFuzzer fuzzer = new HttpFuzzer(new Random(SEED), tenants, maxBody);
		Summary summary = new Summary();
		long start = System.nanoTime();
		send(fuzzer::next, COUNT / 2, summary, tenants, canary);
		summary.halfway = snapshot();
		send(fuzzer::next, COUNT - COUNT / 2, summary, tenants, canary);
		long nanos = System.nanoTime() - start;
		summary.after = snapshot();

		long serverErrors = serverErrors() - serverErrorsBefore;
		summary.serverErrorsCounted = serverErrors;
		String report = summary.report(nanos, wellFormed);
		System.out.println(report);
		write(report);
		tenants.close();
		this.api.delete("/api/v1/auth/me", canaryTenant.accessToken());

		assertThat(wellFormed.failures).as(report).isEmpty();
		assertThat(summary.failures).as(report).isEmpty();
		assertThat(summary.total).isEqualTo(COUNT);
		assertThat(summary.answered).as(report).isGreaterThan(COUNT * 9 / 10);
		// a 5xx that the servlet error dispatch turned into another answer is still a 5xx
		assertThat(serverErrors).as(report).isZero();
		if (WELL_FORMED > 0) {
			long tokensMinted = Math.max(0, summary.after.tokens() - wellFormed.after.tokens());
			assertThat(summary.after.heap()).as(report)
				.isLessThanOrEqualTo(
						wellFormed.after.heap() + tokensMinted * REMEMBERED_TOKEN_BYTES + HEAP_NOISE_BYTES);
		}
	}

	private void send(Supplier<Case> requests, int count, Summary summary, Pool tenants, String canary) {
		for (int i = 0; i < count; i++) {
			Case sent = requests.get();
			Exchange exchange = RawHttp.exchange(this.api.port(), sent.bytes(), sent.head(), TIMEOUT_MILLIS);
			summary.add(sent, exchange, verdict(sent, exchange, canary));
			tidyUp(sent, exchange, tenants);
		}
	}

	private Snapshot snapshot() {
		long heap = (WELL_FORMED > 0) ? usedHeapAfterFullCollection() : 0;
		long tokens = (long) this.meters.get("auth.tokens.remembered").gauge().value();
		return new Snapshot(heap, this.meters.getMeters().size(), tokens);
	}

	/** The app runs in this JVM: its heap, after a full collection, is what it keeps. */
	private static long usedHeapAfterFullCollection() {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		long used = Long.MAX_VALUE;
		for (int i = 0; i < 3; i++) {
			System.gc();
			used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
		}
		return used;
	}

	/**
	 * What is wrong with the answer to one request: an empty list when nothing is, or
	 * {@code known: ...} for an outcome of an open bug the run tolerates (none is open).
	 */
	private List<String> verdict(Case sent, Exchange exchange, String canary) {
		List<String> wrong = new ArrayList<>();
		if (exchange.timedOut()) {
			wrong.add("no answer within " + TIMEOUT_MILLIS + " ms");
		}
		if (exchange.malformed() != null) {
			wrong.add("malformed response: " + exchange.malformed());
		}
		for (Response response : exchange.responses()) {
			if (response.status() == 0 && !sent.http09()) {
				wrong.add("answer without a status line");
			}
			else if ((response.status() == 501 || response.status() == 505)
					&& response.bodyText().contains("\"status\":" + response.status())) {
				// the server's own refusal of a method or HTTP version it does not
				// implement
			}
			else if (response.status() >= 500) {
				wrong.add("status " + response.status());
			}
			else if (response.status() >= 400 && !sent.head()
					&& Answers.mediaType(response.header("Content-Type").orElse(""))
						.equals("application/problem+json")) {
				wrong.addAll(problemStatus(response));
			}
			for (RawHttp.Header header : response.headers()) {
				String name = header.name().toLowerCase(Locale.ROOT);
				if (name.startsWith("x-fuzz") || name.equals("set-cookie")) {
					wrong.add("injected header " + header.name() + ": " + header.value());
				}
			}
			response.header("X-Request-ID")
				.filter((id) -> !REQUEST_ID.matcher(id).matches())
				.ifPresent((id) -> wrong.add("X-Request-ID not plain: " + Tries.visible(id)));
			String body = response.bodyText();
			if (Answers.INTERNALS.matcher(body).find()) {
				wrong.add("internals in the body");
			}
			if (body.contains(canary)) {
				wrong.add("another tenant's canary in the body");
			}
		}
		exchange.answer().ifPresent((answer) -> {
			if (answer.header("X-Request-ID").isPresent()) {
				wrong.addAll(appAnswer(sent, answer));
			}
		});
		return wrong;
	}

	/** The rules for an answer the app gave (it went through the app's filters). */
	private List<String> appAnswer(Case sent, Response answer) {
		List<String> wrong = new ArrayList<>();
		JsonNode problem = null;
		if (answer.status() >= 400 && !sent.head()) {
			String type = Answers.mediaType(answer.header("Content-Type").orElse(""));
			if (!type.equals("application/problem+json")) {
				wrong.add("4xx as " + type);
				return wrong;
			}
			try {
				problem = ApiJson.mapper().readTree(answer.body());
			}
			catch (RuntimeException ex) {
				wrong.add("problem that is not JSON");
				return wrong;
			}
		}
		if (sent.target() == null || !sent.target().startsWith("/") || !TOKEN.matcher(sent.method()).matches()) {
			return wrong;
		}
		String expected = routing(sent.method(), sent.target());
		String actual = (sent.head()) ? switch (answer.status()) {
			case 404 -> "no-route";
			case 405 -> "method-not-allowed";
			default -> "routed";
		} : (problem == null) ? "routed" : switch (problem.path("type").asString()) {
			case "/problems/no-route" -> "no-route";
			case "/problems/method-not-allowed" -> "method-not-allowed";
			default -> "routed";
		};
		// a path the route table cannot decode is a 400 whatever the route
		boolean agrees = expected.equals("malformed") ? answer.status() == 400 : expected.equals(actual);
		if (!agrees) {
			wrong.add("route table says " + expected + ", answer is " + actual + " " + answer.status());
		}
		return wrong;
	}

	/** A problem whose {@code status} is not the response's. */
	private static List<String> problemStatus(Response response) {
		try {
			int status = ApiJson.mapper().readTree(response.body()).path("status").asInt();
			return (status != response.status()) ? List.of("problem status " + status + " on a " + response.status())
					: List.of();
		}
		catch (RuntimeException ex) {
			return List.of("problem that is not JSON");
		}
	}

	/** What the route table makes of a method and target. */
	private static String routing(String method, String target) {
		int question = target.indexOf('?');
		try {
			RouteTable.match(method, (question < 0) ? target : target.substring(0, question));
			return "routed";
		}
		catch (ApiException.NoRoute ex) {
			return "no-route";
		}
		catch (ApiException.MethodNotAllowed ex) {
			return "method-not-allowed";
		}
		catch (ApiException ex) {
			return "malformed";
		}
	}

	/** Registrations are undone at once, and a deleted tenant of the pool is replaced. */
	private void tidyUp(Case sent, Exchange exchange, Pool tenants) {
		Optional<Response> answer = exchange.answer();
		if (answer.isEmpty()) {
			return;
		}
		if (sent.route().function().equals("register") && answer.get().status() == 201) {
			String token = ApiJson.mapper().readTree(answer.get().body()).path("access_token").asString();
			this.api.delete("/api/v1/auth/me", token);
		}
		// an account deleted, or (with rotation and reuse detection) a session revoked
		if (answer.get().status() < 300
				&& List.of("deleteAccount", "refresh", "logout").contains(sent.route().function())) {
			tenants.replaceDeleted();
		}
	}

	private void plant(Session tenant, String value) {
		for (String sharedKey : HttpFuzzer.SHARED_KEYS) {
			this.api.post("/api/v1/kv", tenant.accessToken(),
					"{\"key\":" + Inputs.quoted(sharedKey) + ",\"value\":" + value + "}");
		}
	}

	private long serverErrors() {
		String metrics = this.api.get("/metrics", null).body();
		Matcher matcher = SERVER_ERRORS.matcher(metrics);
		double total = 0;
		while (matcher.find()) {
			total += Double.parseDouble(matcher.group(1));
		}
		return Math.round(total);
	}

	private static void write(String report) {
		try {
			Path file = Path.of("target", "fuzz", "summary-%d-%d-%s.txt".formatted(SEED, COUNT, TOPOLOGY));
			Files.createDirectories(file.getParent());
			Files.writeString(file, report);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The tenants the fuzzer acts as, each with the shared keys. */
	final class Pool implements HttpFuzzer.Tenants {

		private final ApiClient api;

		private final List<Session> sessions = new ArrayList<>();

		Pool(ApiClient api, int size) {
			this.api = api;
			for (int i = 0; i < size; i++) {
				this.sessions.add(fresh());
			}
		}

		private Session fresh() {
			Session session = this.api.register();
			plant(session, "\"pool\"");
			return session;
		}

		@Override
		public Session pick(Random random) {
			return this.sessions.get(random.nextInt(this.sessions.size()));
		}

		@Override
		public Session other(Session session) {
			return this.sessions.get((this.sessions.indexOf(session) + 1) % this.sessions.size());
		}

		/**
		 * Replaces the tenants whose account is gone.
		 */
		void replaceDeleted() {
			for (int i = 0; i < this.sessions.size(); i++) {
				Session session = this.sessions.get(i);
				ApiClient.Response profile = this.api.get("/api/v1/auth/me", session.accessToken());
				if (profile.status() == 401) {
					this.sessions.set(i, fresh());
				}
			}
		}

		void close() {
			this.sessions.forEach((session) -> this.api.delete("/api/v1/auth/me", session.accessToken()));
		}

	}

	/**
	 * What the app keeps at one point of the run: bytes of heap in use after a full
	 * collection (0 when not measured), its meters, and the verified tokens it remembers.
	 */
	record Snapshot(long heap, int meters, long tokens) {

		static final Snapshot NONE = new Snapshot(0, 0, 0);

	}

	/** Counts by mutation and status, the failures, and the known-bug outcomes. */
	static final class Summary {

		final Map<Mutation, Map<String, Integer>> byMutation = new TreeMap<>();

		final Map<String, Integer> statuses = new TreeMap<>();

		final Map<String, Integer> connectorAnswers = new TreeMap<>();

		final Map<String, Integer> known = new TreeMap<>();

		final Map<String, Integer> routes = new TreeMap<>();

		/** The first failures in full; a long run keeps counting the others. */
		final List<String> failures = new ArrayList<>();

		int failed;

		int total;

		int answered;

		int closed;

		int brokenFraming;

		long serverErrorsCounted;

		Snapshot halfway = Snapshot.NONE;

		Snapshot after = Snapshot.NONE;

		void add(Case sent, Exchange exchange, List<String> verdict) {
			this.total++;
			if (sent.mutation().breaksFraming()) {
				this.brokenFraming++;
			}
			String outcome;
			Optional<Response> answer = exchange.answer();
			if (answer.isPresent()) {
				this.answered++;
				outcome = (answer.get().status() == 0) ? "HTTP/0.9" : Integer.toString(answer.get().status());
				if (answer.get().header("X-Request-ID").isEmpty()) {
					String type = Answers.mediaType(answer.get().header("Content-Type").orElse("none"));
					this.connectorAnswers.merge(answer.get().status() + " " + type, 1, Integer::sum);
				}
			}
			else if (exchange.closedWithoutAnswer()) {
				this.closed++;
				outcome = "closed";
			}
			else {
				outcome = exchange.timedOut() ? "timeout" : "malformed";
			}
			this.byMutation.computeIfAbsent(sent.mutation(), (m) -> new TreeMap<>()).merge(outcome, 1, Integer::sum);
			this.statuses.merge(outcome, 1, Integer::sum);
			this.routes.merge(sent.route().function(), 1, Integer::sum);
			List<String> problems = new ArrayList<>();
			for (String wrong : verdict) {
				if (wrong.startsWith("known: ")) {
					this.known.merge(wrong.substring(7), 1, Integer::sum);
				}
				else {
					problems.add(wrong);
				}
			}
			if (!problems.isEmpty()) {
				this.failed++;
				if (this.failures.size() < KEPT_FAILURES) {
					this.failures.add(problems + "\n  request  " + sent + "\n  response " + shown(exchange));
				}
			}
		}

		private static String shown(Exchange exchange) {
			if (exchange.responses().isEmpty()) {
				return exchange.closedWithoutAnswer() ? "(closed)" : "(" + exchange.malformed() + ")";
			}
			StringBuilder text = new StringBuilder();
			for (Response response : exchange.responses()) {
				text.append(response.status())
					.append(' ')
					.append(response.headers().stream().map((header) -> header.name() + ": " + header.value()).toList())
					.append(' ');
				String body = response.bodyText();
				text.append(Tries.visible(body.substring(0, Math.min(600, body.length())))).append(' ');
			}
			return text.toString();
		}

		String report(long nanos, Summary wellFormed) {
			StringBuilder report = new StringBuilder();
			report.append("HTTP fuzz (%s): %d requests, seed %d, %.1f s, %d answered, %d closed without an answer%n"
				.formatted(TOPOLOGY, this.total, SEED, nanos / 1e9, this.answered, this.closed));
			if (wellFormed.total > 0) {
				report.append(String.format(
						"heap after a full collection: %.1f MiB after %d well-formed requests (%d failures),"
								+ " %.1f MiB after half the fuzz run, %.1f MiB after all of it%n",
						wellFormed.after.heap() / 1048576.0, wellFormed.total, wellFormed.failed,
						this.halfway.heap() / 1048576.0, this.after.heap() / 1048576.0));
				report.append(String.format(
						"meters and remembered tokens: %d and %d after the well-formed requests,"
								+ " %d and %d after half the fuzz run, %d and %d after all of it%n",
						wellFormed.after.meters(), wellFormed.after.tokens(), this.halfway.meters(),
						this.halfway.tokens(), this.after.meters(), this.after.tokens()));
			}
			report.append("statuses: ").append(this.statuses).append('\n');
			report.append("by mutation:\n");
			this.byMutation.forEach((mutation, outcomes) -> report.append("  %-20s %5d %s%n".formatted(mutation,
					outcomes.values().stream().mapToInt(Integer::intValue).sum(), outcomes)));
			report.append("by route: ").append(this.routes).append('\n');
			report.append("answered by the server before the app (status and Content-Type): ")
				.append(this.connectorAnswers)
				.append('\n');
			report.append("5xx in http_requests_total during the run: ")
				.append(this.serverErrorsCounted)
				.append(" (requests with broken body framing: ")
				.append(this.brokenFraming)
				.append(")\n");
			report.append("known-bug outcomes: ").append(this.known).append('\n');
			report.append("failures: ").append(this.failed).append('\n');
			this.failures.stream()
				.limit(SHOWN_FAILURES)
				.forEach((failure) -> report.append("- ").append(failure).append('\n'));
			return report.toString();
		}

	}

}
