import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Soak test of the KVStore HTTP API, started by {@code bench/soak.sh} (see bench/README.md, "Soak"):
 * registers TENANTS tenants, runs mixed traffic from CONCURRENCY workers for DURATION seconds, runs
 * RESTART_CMD once at RESTART_AT seconds (the script restarts Redis with it), then checks that every
 * acknowledged write is present with the right version, and prints a report on stdout (progress on
 * stderr).
 *
 * <p>
 * Each key belongs to exactly one worker, which runs its requests one at a time, so the worker knows
 * the states the key can be in: after a definite answer exactly one (absent, or present with version v
 * and the value of write n); after an ambiguous write (5xx, timeout, I/O error: it may or may not have
 * been applied) the previous states and the states the write would lead to. Every definite answer is
 * checked against those states, during the traffic and in the final pass; one that is not among them
 * is a lost write (an acknowledged state went back or vanished) or a wrong version/value. A key with an
 * ambiguous write is left alone for AMBIGUOUS_GRACE seconds, in case the server applies it late.
 *
 * <p>
 * Exit status: 0 all checks passed, 1 a lost write or a wrong version/value, 2 bad configuration or
 * set-up failure, 3 keys that could not be verified.
 */
public class Soak {

	static final int GROUP = 8; // keys per (worker, tenant) group: a batch takes keys of one group

	static final int MAX_DURATION = 1200; // access tokens live 30 minutes; no refresh handling

	public static void main(String[] args) throws Exception {
		Config config;
		try {
			config = Config.fromEnv();
		}
		catch (IllegalArgumentException ex) {
			System.err.println("Soak: " + ex.getMessage());
			System.exit(2);
			return;
		}
		System.exit(new Soak(config).run());
	}

	record Config(URI base, int duration, int tenants, int concurrency, int keysPerWorker, double restartAt,
			String restartCmd, Duration timeout, Duration grace, String runId) {

		static Config fromEnv() {
			String url = env("SOAK_URL", "");
			if (url.isEmpty()) {
				throw new IllegalArgumentException("SOAK_URL (the app's base URL) is required");
			}
			int duration = number("DURATION", 180, 1, MAX_DURATION);
			int keys = number("KEYS_PER_WORKER", 128, 1, 100_000);
			keys = ((keys + GROUP - 1) / GROUP) * GROUP;
			String restartAt = env("RESTART_AT", "");
			double at;
			try {
				at = restartAt.isEmpty() ? duration / 2.0 : Double.parseDouble(restartAt);
			}
			catch (NumberFormatException ex) {
				throw new IllegalArgumentException("RESTART_AT must be a number of seconds, got '" + restartAt + "'");
			}
			if (at < 0 || at > duration) {
				throw new IllegalArgumentException("RESTART_AT must be in 0.." + duration + " (DURATION), got " + at);
			}
			return new Config(URI.create(url.replaceAll("/+$", "")), duration, number("TENANTS", 50, 1, 10_000),
					number("CONCURRENCY", 32, 1, 4096), keys, at, env("RESTART_CMD", ""),
					Duration.ofSeconds(number("REQUEST_TIMEOUT", 5, 1, 120)),
					Duration.ofSeconds(number("AMBIGUOUS_GRACE", 15, 0, 600)),
					env("RUN_ID", Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36)));
		}

		private static String env(String name, String fallback) {
			String value = System.getenv(name);
			return (value == null || value.isBlank()) ? fallback : value.trim();
		}

		private static int number(String name, int fallback, int min, int max) {
			String value = env(name, Integer.toString(fallback));
			int n;
			try {
				n = Integer.parseInt(value);
			}
			catch (NumberFormatException ex) {
				throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'");
			}
			if (n < min || n > max) {
				throw new IllegalArgumentException(name + " must be in " + min + ".." + max + ", got " + n);
			}
			return n;
		}

	}

	/** The requests of the mix; VERIFY is the final pass, reported apart. */
	enum Op {

		CREATE("create   POST /api/v1/kv"), GET("get      GET /api/v1/kv/{key}"),
		UPDATE("update   PUT /api/v1/kv/{key}"), DELETE("delete   DELETE /api/v1/kv/{key}"),
		LIST("list     GET /api/v1/kv?page&page_size=20"), BATCH("batch    POST /api/v1/kv/batch"),
		VERIFY("verify   GET /api/v1/kv/{key}, after");

		final String label;

		Op(String label) {
			this.label = label;
		}

	}

	enum Verdict {

		OK, LOST, WRONG_VERSION, WRONG_VALUE

	}

	final Config config;

	final HttpClient http;

	final List<String> tokens = new ArrayList<>();

	final AtomicLong requests = new AtomicLong();

	final AtomicLong failures = new AtomicLong();

	long t0; // nanoTime when the traffic starts

	long trafficEnd;

	volatile long restartStart = -1, restartEnd = -1;

	final List<String> restartOutput = Collections.synchronizedList(new ArrayList<>());

	volatile int restartExit = Integer.MIN_VALUE;

	Soak(Config config) {
		this.config = config;
		this.http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(config.timeout())
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
	}

	int run() throws Exception {
		Config c = config;
		log("run %s: %d s of traffic on %s, %d tenants, %d workers x %d keys, %s", c.runId(), c.duration(),
				c.base(), c.tenants(), c.concurrency(), c.keysPerWorker(), c.restartCmd().isEmpty()
						? "no restart" : String.format("restart at %.0f s", c.restartAt()));
		if (!register()) {
			return 2;
		}
		List<Worker> workers = new ArrayList<>();
		for (int w = 0; w < c.concurrency(); w++) {
			workers.add(new Worker(w));
		}

		t0 = System.nanoTime();
		trafficEnd = t0 + TimeUnit.SECONDS.toNanos(c.duration());
		List<Thread> threads = new ArrayList<>();
		for (Worker worker : workers) {
			threads.add(Thread.ofVirtual().name("worker-" + worker.id).start(worker::traffic));
		}
		Thread restarter = c.restartCmd().isEmpty() ? null : Thread.ofPlatform().daemon().start(this::restart);
		Thread progress = Thread.ofPlatform().daemon().start(this::progress);
		long joinBy = trafficEnd + c.timeout().toNanos() * 3 + TimeUnit.SECONDS.toNanos(30);
		for (Thread thread : threads) {
			if (!thread.join(Duration.ofNanos(Math.max(1, joinBy - System.nanoTime())))) {
				log("a worker is still busy %d s after the end of the traffic; giving up", (joinBy - trafficEnd) / 1_000_000_000L);
				return 3;
			}
		}
		long trafficNanos = System.nanoTime() - t0;
		progress.interrupt();
		if (restarter != null && !restarter.join(Duration.ofSeconds(200))) {
			log("the restart command has not finished; verifying anyway");
		}
		long readyAfter = waitReady(Duration.ofSeconds(60));
		long lastAmbiguous = workers.stream().mapToLong((w) -> w.coolingUntil()).max().orElse(0);
		long wait = lastAmbiguous - System.nanoTime();
		if (wait > 0) {
			log("waiting %.1f s for the last ambiguous write's grace period", wait / 1e9);
			Thread.sleep(Duration.ofNanos(wait));
		}
		log("verifying %d keys", c.concurrency() * c.keysPerWorker());
		threads.clear();
		for (Worker worker : workers) {
			threads.add(Thread.ofVirtual().name("verify-" + worker.id).start(worker::verify));
		}
		for (Thread thread : threads) {
			thread.join(Duration.ofMinutes(5));
		}
		Totals totals = tenantTotals(workers);
		return report(workers, trafficNanos, readyAfter, totals);
	}

	// ---- set-up -----------------------------------------------------------------------

	boolean register() throws InterruptedException {
		log("registering %d tenants", config.tenants());
		String[] got = new String[config.tenants()];
		String[] errors = new String[config.tenants()];
		Semaphore slots = new Semaphore(4); // BCrypt: more at once only queues on 2 cores
		List<Thread> threads = new ArrayList<>();
		for (int t = 0; t < config.tenants(); t++) {
			int tenant = t;
			threads.add(Thread.ofVirtual().start(() -> {
				String user = "soak_" + config.runId() + "_" + tenant;
				String body = "{\"username\":" + quote(user) + ",\"email\":" + quote(user + "@example.com")
						+ ",\"password\":\"Soak-Passw0rd\"}";
				for (int attempt = 1; attempt <= 3 && got[tenant] == null; attempt++) {
					try {
						slots.acquire();
						try {
							HttpResponse<String> r = http.send(request("/api/v1/auth/register")
								.timeout(Duration.ofSeconds(30))
								.POST(HttpRequest.BodyPublishers.ofString(body))
								.build(), HttpResponse.BodyHandlers.ofString());
							if (r.statusCode() == 201) {
								got[tenant] = (String) ((Map<?, ?>) Json.parse(r.body())).get("access_token");
							}
							else {
								errors[tenant] = "HTTP " + r.statusCode() + ": " + abbreviate(r.body(), 200);
								if (r.statusCode() < 500) {
									return;
								}
							}
						}
						finally {
							slots.release();
						}
					}
					catch (IOException | RuntimeException ex) {
						errors[tenant] = ex.toString();
					}
					catch (InterruptedException ex) {
						return;
					}
				}
			}));
		}
		for (Thread thread : threads) {
			thread.join(Duration.ofMinutes(5));
		}
		for (int t = 0; t < got.length; t++) {
			if (got[t] == null) {
				log("registering tenant %d failed: %s", t, errors[t]);
				return false;
			}
			tokens.add(got[t]);
		}
		return true;
	}

	HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create(config.base() + path))
			.timeout(config.timeout())
			.header("Content-Type", "application/json")
			.header("Accept", "application/json");
	}

	/** Polls the readiness probe; returns when it answered 200, in ns from t0, or -1. */
	long waitReady(Duration bound) throws InterruptedException {
		long until = System.nanoTime() + bound.toNanos();
		while (System.nanoTime() < until) {
			try {
				HttpResponse<Void> r = http.send(request("/api/v1/health/ready").GET().build(),
						HttpResponse.BodyHandlers.discarding());
				if (r.statusCode() == 200) {
					return System.nanoTime() - t0;
				}
			}
			catch (IOException ex) {
				// not yet
			}
			Thread.sleep(250);
		}
		log("the app was not ready within %d s after the traffic", bound.toSeconds());
		return -1;
	}

	// ---- the restart and progress -------------------------------------------------------

	void restart() {
		long at = t0 + (long) (config.restartAt() * 1e9);
		try {
			long sleep = at - System.nanoTime();
			if (sleep > 0) {
				Thread.sleep(Duration.ofNanos(sleep));
			}
			log("running the restart command");
			restartStart = System.nanoTime() - t0;
			Process process = new ProcessBuilder("bash", "-c", config.restartCmd()).redirectErrorStream(true).start();
			Thread reader = Thread.ofVirtual().start(() -> {
				try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream()))) {
					for (String line; (line = in.readLine()) != null;) {
						restartOutput.add(line);
						log("restart: %s", line);
					}
				}
				catch (IOException ex) {
					// the process went away
				}
			});
			if (!process.waitFor(180, TimeUnit.SECONDS)) {
				log("the restart command did not finish in 180 s; stopping it");
				process.destroyForcibly();
			}
			else {
				restartExit = process.exitValue();
			}
			reader.join(Duration.ofSeconds(5));
			restartEnd = System.nanoTime() - t0;
		}
		catch (IOException ex) {
			restartOutput.add("could not run the restart command: " + ex);
			restartEnd = System.nanoTime() - t0;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	void progress() {
		long lastRequests = 0;
		long lastFailures = 0;
		try {
			while (true) {
				Thread.sleep(10_000);
				long r = requests.get();
				long f = failures.get();
				log("t=%3.0fs  %,9d requests (%,6.0f/s in the last 10 s), %,d failed (+%,d)",
						(System.nanoTime() - t0) / 1e9, r, (r - lastRequests) / 10.0, f, f - lastFailures);
				lastRequests = r;
				lastFailures = f;
			}
		}
		catch (InterruptedException ex) {
			// the traffic is over
		}
	}

	// ---- a key and the states it can be in ---------------------------------------------

	static final class Slot {

		final String key;

		final int tenant;

		final String encoded;

		/** Whether the key may be absent. */
		boolean absent = true;

		/** The versions it may be present with, each with the write number of its value (-1: any). */
		final TreeMap<Integer, Long> present = new TreeMap<>();

		/** Write attempts so far, numbering the values. */
		long writes;

		/** Definite answers to writes so far. */
		long acknowledged;

		/** Ambiguous writes since the last definite answer, and in all. */
		int ambiguous;

		long ambiguousTotal;

		/** Until when (nanoTime) the key is left alone after an ambiguous write. */
		long coolUntil;

		Slot(String key, int tenant) {
			this.key = key;
			this.tenant = tenant;
			this.encoded = URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
		}

		boolean known() {
			return (absent && present.isEmpty()) || (!absent && present.size() == 1);
		}

		boolean knownAbsent() {
			return absent && present.isEmpty();
		}

		boolean knownPresent() {
			return !absent && present.size() == 1;
		}

		String states() {
			List<String> states = new ArrayList<>();
			if (absent) {
				states.add("absent");
			}
			present.forEach((v, w) -> states.add("v" + v + ((w >= 0) ? " (write " + w + ")" : "")));
			return String.join(" | ", states);
		}

		Verdict seenAbsent() {
			return absent ? Verdict.OK : Verdict.LOST;
		}

		Verdict seenPresent() {
			if (!present.isEmpty()) {
				return Verdict.OK;
			}
			return (acknowledged > 0) ? Verdict.LOST : Verdict.WRONG_VERSION;
		}

		/** write: the write number in the value, or -1 when the answer does not show the value. */
		Verdict seen(long version, long write) {
			Long expected = (version >= 1 && version <= Integer.MAX_VALUE) ? present.get((int) version) : null;
			if (expected != null) {
				return (write < 0 || expected < 0 || expected == write) ? Verdict.OK : Verdict.WRONG_VALUE;
			}
			if (present.isEmpty()) {
				return (acknowledged > 0) ? Verdict.LOST : Verdict.WRONG_VERSION;
			}
			return (version < present.firstKey()) ? Verdict.LOST : Verdict.WRONG_VERSION;
		}

		void nowAbsent() {
			absent = true;
			present.clear();
			ambiguous = 0;
		}

		void nowPresent(int version, long write) {
			absent = false;
			present.clear();
			present.put(version, write);
			ambiguous = 0;
		}

		void ambiguousCreate(long write, long grace) {
			if (absent) {
				possibly(1, write);
			}
			becameAmbiguous(grace);
		}

		void ambiguousUpdate(long write, long grace) {
			for (Integer v : new ArrayList<>(present.descendingKeySet())) {
				possibly(v + 1, write);
			}
			becameAmbiguous(grace);
		}

		void ambiguousDelete(long grace) {
			if (!present.isEmpty()) {
				absent = true;
			}
			becameAmbiguous(grace);
		}

		private void possibly(int version, long write) {
			present.merge(version, write, (a, b) -> a.equals(b) ? a : -1L);
		}

		private void becameAmbiguous(long grace) {
			ambiguous++;
			ambiguousTotal++;
			coolUntil = System.nanoTime() + grace;
		}

	}

	// ---- what a worker counts ------------------------------------------------------------

	static final class Histogram {

		static final double STEP = Math.log(1.01); // 1% wide buckets, in microseconds

		final long[] counts = new long[2400];

		long n;

		long max;

		void record(long nanos) {
			long micros = Math.max(1, nanos / 1000);
			counts[Math.min(counts.length - 1, (int) (Math.log(micros) / STEP))]++;
			n++;
			max = Math.max(max, nanos);
		}

		void add(Histogram other) {
			for (int i = 0; i < counts.length; i++) {
				counts[i] += other.counts[i];
			}
			n += other.n;
			max = Math.max(max, other.max);
		}

		double percentileMs(double p) {
			if (n == 0) {
				return Double.NaN;
			}
			long rank = (long) Math.ceil(p * n);
			long seen = 0;
			for (int i = 0; i < counts.length; i++) {
				seen += counts[i];
				if (seen >= rank) {
					return Math.min(Math.exp((i + 1) * STEP) / 1000.0, max / 1e6);
				}
			}
			return max / 1e6;
		}

	}

	static final class Stats {

		final Map<String, Long> byStatus = new TreeMap<>();

		final Map<Op, Histogram> latency = new EnumMap<>(Op.class);

		final Map<Op, Long> failedByOp = new EnumMap<>(Op.class);

		final Map<String, Long> answers = new HashMap<>(); // unusual answers: status, detail, headers

		long[] perSecond;

		long[] failedPerSecond;

		long firstFailure = Long.MAX_VALUE, lastFailure = Long.MIN_VALUE; // ns from t0, at the answer

		long slow; // answers after more than 1 s

		long checks;

		long ambiguousWrites;

		final Map<Verdict, Long> verdicts = new EnumMap<>(Verdict.class);

		final List<String> violations = new ArrayList<>();

		Stats(int seconds) {
			perSecond = new long[seconds];
			failedPerSecond = new long[seconds];
		}

		void add(Stats o) {
			o.byStatus.forEach((k, v) -> byStatus.merge(k, v, Long::sum));
			o.latency.forEach((k, v) -> latency.computeIfAbsent(k, (x) -> new Histogram()).add(v));
			o.failedByOp.forEach((k, v) -> failedByOp.merge(k, v, Long::sum));
			o.answers.forEach((k, v) -> answers.merge(k, v, Long::sum));
			for (int i = 0; i < perSecond.length; i++) {
				perSecond[i] += o.perSecond[i];
				failedPerSecond[i] += o.failedPerSecond[i];
			}
			firstFailure = Math.min(firstFailure, o.firstFailure);
			lastFailure = Math.max(lastFailure, o.lastFailure);
			slow += o.slow;
			checks += o.checks;
			ambiguousWrites += o.ambiguousWrites;
			o.verdicts.forEach((k, v) -> verdicts.merge(k, v, Long::sum));
			violations.addAll(o.violations);
		}

	}

	/** One answer, or why there was none. */
	record Answer(int status, String body, String contentType, String retryAfter, String error) {

		/** Nothing definite: the request may or may not have been applied. */
		boolean ambiguous() {
			return error != null || status >= 500;
		}

		String statusName() {
			return (error != null) ? error : Integer.toString(status);
		}

	}

	// ---- a worker ---------------------------------------------------------------------

	final class Worker {

		final int id;

		final List<Slot> slots = new ArrayList<>();

		final Map<String, Slot> byKey = new HashMap<>();

		final Map<Integer, Long> listTotals = new HashMap<>();

		final Stats traffic = new Stats(config.duration() + 60);

		final Stats verification = new Stats(1);

		long presentAtEnd, absentAtEnd, ambiguousAtEnd, unverified;

		final Random random;

		Worker(int id) {
			this.id = id;
			this.random = new Random(config.runId().hashCode() * 31L + id);
			int groups = config.keysPerWorker() / GROUP;
			for (int g = 0; g < groups; g++) {
				int tenant = (id * groups + g) % config.tenants();
				for (int k = 0; k < GROUP; k++) {
					Slot slot = new Slot(String.format("soak/w%02d:g%02d:k%d", id, g, k), tenant);
					slots.add(slot);
					byKey.put(slot.key, slot);
				}
			}
		}

		long coolingUntil() {
			return slots.stream().mapToLong((s) -> s.coolUntil).max().orElse(0);
		}

		void traffic() {
			while (System.nanoTime() < trafficEnd) {
				Slot slot = pick();
				if (slot == null) {
					sleep(50);
					continue;
				}
				double r = random.nextDouble();
				if (!slot.known()) {
					get(Op.GET, slot, traffic);
				}
				else if (slot.knownAbsent()) {
					if (r < 0.55) {
						create(slot);
					}
					else if (r < 0.90) {
						batch(slot);
					}
					else if (r < 0.95) {
						get(Op.GET, slot, traffic); // 404
					}
					else {
						update(slot); // 404
					}
				}
				else if (r < 0.45) {
					get(Op.GET, slot, traffic);
				}
				else if (r < 0.75) {
					update(slot);
				}
				else if (r < 0.85) {
					delete(slot);
				}
				else if (r < 0.96) {
					list(slot.tenant);
				}
				else {
					create(slot); // 409
				}
			}
		}

		/** A key that is not cooling down after an ambiguous write, or null. */
		Slot pick() {
			long now = System.nanoTime();
			for (int i = 0; i < 16; i++) {
				Slot slot = slots.get(random.nextInt(slots.size()));
				if (slot.coolUntil <= now) {
					return slot;
				}
			}
			return null;
		}

		void create(Slot slot) {
			long write = ++slot.writes;
			String body = newEntry(slot, write);
			Answer a = send(Op.CREATE, "POST", "/api/v1/kv", slot.tenant, body, traffic);
			if (a.status() == 201) {
				Entry entry = entry(a.body());
				if (entry == null) {
					malformed(Op.CREATE, slot, a);
					slot.ambiguousCreate(write, grace());
					return;
				}
				check(Op.CREATE, slot, slot.seenAbsent(), "201 Created", traffic);
				if (entry.version() != 1) {
					violation(traffic, Verdict.WRONG_VERSION, Op.CREATE, slot, "201 Created with version " + entry.version());
				}
				acknowledged(slot).nowPresent(1, write);
			}
			else if (a.status() == 409) {
				check(Op.CREATE, slot, slot.seenPresent(), "409 Conflict", traffic);
				slot.absent = false;
				slot.acknowledged++;
			}
			else if (a.ambiguous()) {
				traffic.ambiguousWrites++;
				slot.ambiguousCreate(write, grace());
			}
		}

		void batch(Slot first) {
			List<Slot> batch = new ArrayList<>();
			batch.add(first);
			int group = slots.indexOf(first) / GROUP;
			long now = System.nanoTime();
			int want = 2 + random.nextInt(4);
			for (Slot slot : slots.subList(group * GROUP, group * GROUP + GROUP)) {
				if (batch.size() < want && slot != first && slot.knownAbsent() && slot.coolUntil <= now) {
					batch.add(slot);
				}
			}
			long[] writes = new long[batch.size()];
			StringBuilder body = new StringBuilder("{\"items\":[");
			for (int i = 0; i < batch.size(); i++) {
				writes[i] = ++batch.get(i).writes;
				body.append((i > 0) ? "," : "").append(newEntry(batch.get(i), writes[i]));
			}
			body.append("]}");
			Answer a = send(Op.BATCH, "POST", "/api/v1/kv/batch", first.tenant, body.toString(), traffic);
			if (a.status() == 201) {
				Map<String, Long> versions = new HashMap<>();
				try {
					for (Object item : (List<?>) ((Map<?, ?>) Json.parse(a.body())).get("items")) {
						Entry entry = entry((Map<?, ?>) item);
						versions.put(entry.key(), entry.version());
					}
				}
				catch (RuntimeException ex) {
					versions = null;
				}
				for (int i = 0; i < batch.size(); i++) {
					Slot slot = batch.get(i);
					if (versions == null || !versions.containsKey(slot.key)) {
						malformed(Op.BATCH, slot, a);
						slot.ambiguousCreate(writes[i], grace());
						continue;
					}
					check(Op.BATCH, slot, slot.seenAbsent(), "201 Created", traffic);
					if (versions.get(slot.key) != 1) {
						violation(traffic, Verdict.WRONG_VERSION, Op.BATCH, slot,
								"201 Created with version " + versions.get(slot.key));
					}
					acknowledged(slot).nowPresent(1, writes[i]);
				}
			}
			else if (a.status() == 409) {
				List<?> taken = List.of();
				try {
					taken = (List<?>) ((Map<?, ?>) Json.parse(a.body())).get("keys");
				}
				catch (RuntimeException ex) {
					// no list of keys: nothing to check
				}
				for (Slot slot : batch) {
					if (taken != null && taken.contains(slot.key)) {
						check(Op.BATCH, slot, slot.seenPresent(), "409 Conflict naming it", traffic);
						slot.absent = false;
						slot.acknowledged++;
					}
				}
			}
			else if (a.ambiguous()) {
				traffic.ambiguousWrites++;
				for (int i = 0; i < batch.size(); i++) {
					batch.get(i).ambiguousCreate(writes[i], grace());
				}
			}
		}

		void update(Slot slot) {
			long write = ++slot.writes;
			String body = "{\"value\":" + value(slot, write)
					+ ((random.nextInt(10) == 0) ? ",\"tags\":{\"w\":\"" + id + "\",\"u\":\"" + write + "\"}" : "") + "}";
			Answer a = send(Op.UPDATE, "PUT", "/api/v1/kv/" + slot.encoded, slot.tenant, body, traffic);
			if (a.status() == 200) {
				Entry entry = entry(a.body());
				if (entry == null) {
					malformed(Op.UPDATE, slot, a);
					slot.ambiguousUpdate(write, grace());
					return;
				}
				check(Op.UPDATE, slot, slot.seen(entry.version() - 1, -1), "200 with version " + entry.version(), traffic);
				acknowledged(slot).nowPresent((int) entry.version(), write);
			}
			else if (a.status() == 404) {
				check(Op.UPDATE, slot, slot.seenAbsent(), "404 Not Found", traffic);
				acknowledged(slot).nowAbsent();
			}
			else if (a.ambiguous()) {
				traffic.ambiguousWrites++;
				slot.ambiguousUpdate(write, grace());
			}
		}

		void delete(Slot slot) {
			Answer a = send(Op.DELETE, "DELETE", "/api/v1/kv/" + slot.encoded, slot.tenant, null, traffic);
			if (a.status() == 200) {
				check(Op.DELETE, slot, slot.seenPresent(), "200 deleted", traffic);
				acknowledged(slot).nowAbsent();
			}
			else if (a.status() == 404) {
				check(Op.DELETE, slot, slot.seenAbsent(), "404 Not Found", traffic);
				acknowledged(slot).nowAbsent();
			}
			else if (a.ambiguous()) {
				traffic.ambiguousWrites++;
				slot.ambiguousDelete(grace());
			}
		}

		/** GET one key; true when the answer was definite (200 or 404). */
		boolean get(Op op, Slot slot, Stats stats) {
			Answer a = send(op, "GET", "/api/v1/kv/" + slot.encoded, slot.tenant, null, stats);
			if (a.status() == 200) {
				Entry entry = entry(a.body());
				if (entry == null || !slot.key.equals(entry.key()) || !slot.key.equals(entry.valueKey())) {
					violation(stats, Verdict.WRONG_VALUE, op, slot, "200 with an unexpected body: " + abbreviate(a.body(), 200));
					return true;
				}
				check(op, slot, slot.seen(entry.version(), entry.write()),
						"v" + entry.version() + " (write " + entry.write() + ")", stats);
				slot.nowPresent((int) entry.version(), entry.write());
				return true;
			}
			if (a.status() == 404) {
				check(op, slot, slot.seenAbsent(), "404 Not Found", stats);
				slot.nowAbsent();
				return true;
			}
			return false;
		}

		void list(int tenant) {
			long total = listTotals.getOrDefault(tenant, 0L);
			long page = 1 + random.nextLong(Math.max(1, (total + 19) / 20));
			Answer a = send(Op.LIST, "GET", "/api/v1/kv?page=" + page + "&page_size=20", tenant, null, traffic);
			if (a.status() != 200) {
				return;
			}
			try {
				Map<?, ?> body = (Map<?, ?>) Json.parse(a.body());
				listTotals.put(tenant, ((Number) body.get("total")).longValue());
				long now = System.nanoTime();
				for (Object item : (List<?>) body.get("items")) {
					Entry entry = entry((Map<?, ?>) item);
					Slot slot = byKey.get(entry.key());
					// Only this worker's keys that no late write can change; listing never narrows the states.
					if (slot != null && slot.tenant == tenant && slot.coolUntil <= now) {
						check(Op.LIST, slot, slot.seen(entry.version(), entry.write()),
								"listed with v" + entry.version() + " (write " + entry.write() + ")", traffic);
					}
				}
			}
			catch (RuntimeException ex) {
				traffic.answers.merge("200 list with an unexpected body: " + abbreviate(a.body(), 120), 1L, Long::sum);
			}
		}

		void verify() {
			for (Slot slot : slots) {
				boolean done = false;
				for (int attempt = 0; attempt < 10 && !done; attempt++) {
					if (attempt > 0) {
						sleep(500);
					}
					done = get(Op.VERIFY, slot, verification);
				}
				if (!done) {
					unverified++;
					continue;
				}
				if (slot.absent) {
					absentAtEnd++;
				}
				else {
					presentAtEnd++;
				}
				if (slot.ambiguousTotal > 0) {
					ambiguousAtEnd++;
				}
			}
		}

		// ---- helpers ----

		Slot acknowledged(Slot slot) {
			slot.acknowledged++;
			return slot;
		}

		long grace() {
			return config.grace().toNanos();
		}

		String newEntry(Slot slot, long write) {
			StringBuilder body = new StringBuilder("{\"key\":").append(quote(slot.key))
				.append(",\"value\":")
				.append(value(slot, write));
			int r = random.nextInt(10);
			if (r < 3) {
				body.append(",\"tags\":{\"worker\":\"w").append(id).append("\",\"tenant\":\"").append(slot.tenant).append("\"}");
			}
			if (r >= 8) {
				body.append(",\"ttl\":7200"); // outlives any run (DURATION <= 20 min)
			}
			return body.append('}').toString();
		}

		String value(Slot slot, long write) {
			return "{\"key\":" + quote(slot.key) + ",\"write\":" + write + ",\"worker\":" + id + ",\"pad\":\""
					+ "x".repeat(random.nextInt(200)) + "\"}";
		}

		Answer send(Op op, String method, String path, int tenant, String body, Stats stats) {
			HttpRequest.Builder builder = request(path).header("Authorization", "Bearer " + tokens.get(tenant));
			builder.method(method, (body == null) ? HttpRequest.BodyPublishers.noBody()
					: HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
			long start = System.nanoTime();
			Answer answer;
			try {
				HttpResponse<String> r = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
				answer = new Answer(r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(""),
						r.headers().firstValue("Retry-After").orElse(null), null);
			}
			catch (HttpTimeoutException ex) {
				answer = new Answer(0, "", "", null, "timeout");
			}
			catch (ConnectException ex) {
				answer = new Answer(0, "", "", null, "io-error (connect)");
			}
			catch (IOException ex) {
				answer = new Answer(0, "", "", null, "io-error");
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				answer = new Answer(0, "", "", null, "interrupted");
			}
			long end = System.nanoTime();
			long nanos = end - start;
			stats.byStatus.merge(answer.statusName(), 1L, Long::sum);
			stats.latency.computeIfAbsent(op, (x) -> new Histogram()).record(nanos);
			if (nanos > 1_000_000_000L) {
				stats.slow++;
			}
			int second = (int) Math.min(stats.perSecond.length - 1, Math.max(0, (end - t0) / 1_000_000_000L));
			stats.perSecond[second]++;
			if (op != Op.VERIFY) {
				requests.incrementAndGet();
			}
			if (answer.ambiguous()) {
				stats.failedByOp.merge(op, 1L, Long::sum);
				stats.failedPerSecond[second]++;
				stats.firstFailure = Math.min(stats.firstFailure, end - t0);
				stats.lastFailure = Math.max(stats.lastFailure, end - t0);
				if (op != Op.VERIFY) {
					failures.incrementAndGet();
				}
			}
			if (answer.error() == null && answer.status() >= 400 && answer.status() != 404 && answer.status() != 409) {
				stats.answers.merge(describe(answer), 1L, Long::sum);
			}
			if ("io-error (connect)".equals(answer.error())) {
				sleep(100); // the app is not listening: no point in a hot loop
			}
			return answer;
		}

		void check(Op op, Slot slot, Verdict verdict, String seen, Stats stats) {
			stats.checks++;
			if (verdict == Verdict.OK) {
				stats.verdicts.merge(verdict, 1L, Long::sum);
			}
			else {
				violation(stats, verdict, op, slot, seen);
			}
		}

		void violation(Stats stats, Verdict verdict, Op op, Slot slot, String seen) {
			if (stats.violations.size() < 50) {
				stats.violations.add(String.format("%s: %s of %s (tenant %d) at t=%.1fs saw %s; expected %s", verdict, op,
						slot.key, slot.tenant, (System.nanoTime() - t0) / 1e9, seen, slot.states()));
			}
			stats.verdicts.merge(verdict, 1L, Long::sum);
		}

		void malformed(Op op, Slot slot, Answer a) {
			traffic.answers.merge(a.status() + " " + op + " with an unexpected body: " + abbreviate(a.body(), 120), 1L,
					Long::sum);
		}

	}

	/** An entry as the API returns it, with the key and write number from the value this test stored. */
	record Entry(String key, long version, String valueKey, long write) {
	}

	static Entry entry(String json) {
		try {
			return entry((Map<?, ?>) Json.parse(json));
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	static Entry entry(Map<?, ?> json) {
		Map<?, ?> metadata = (Map<?, ?>) json.get("metadata");
		long version = ((Number) metadata.get("version")).longValue();
		String valueKey = null;
		long write = -1;
		if (json.get("value") instanceof Map<?, ?> value) {
			valueKey = (String) value.get("key");
			write = (value.get("write") instanceof Number n) ? n.longValue() : -1;
		}
		return new Entry((String) json.get("key"), version, valueKey, write);
	}

	static String describe(Answer a) {
		String detail;
		if (a.contentType().startsWith("application/problem+json")) {
			try {
				Map<?, ?> problem = (Map<?, ?>) Json.parse(a.body());
				detail = "problem+json \"" + problem.get("title") + "\": \"" + problem.get("detail") + "\"";
			}
			catch (RuntimeException ex) {
				detail = "problem+json that does not parse: " + abbreviate(a.body(), 80);
			}
		}
		else {
			detail = "'" + a.contentType() + "': " + abbreviate(a.body(), 80);
		}
		return a.status() + " " + detail + ((a.retryAfter() != null) ? ", Retry-After: " + a.retryAfter() : ", no Retry-After");
	}

	// ---- per-tenant totals ------------------------------------------------------------

	record Totals(int checked, int mismatched, int skipped, List<String> mismatches) {
	}

	/**
	 * For each tenant whose keys are all in a known state, {@code GET /api/v1/kv/stats/count} and the
	 * list's {@code total} must equal the number of keys present: the indexes agree with the entries.
	 */
	Totals tenantTotals(List<Worker> workers) {
		Map<Integer, long[]> expected = new TreeMap<>(); // tenant -> {present, unknown}
		for (Worker worker : workers) {
			for (Slot slot : worker.slots) {
				long[] e = expected.computeIfAbsent(slot.tenant, (t) -> new long[2]);
				if (!slot.known()) {
					e[1]++;
				}
				else if (!slot.absent) {
					e[0]++;
				}
			}
		}
		int checked = 0;
		int skipped = 0;
		List<String> mismatches = new ArrayList<>();
		for (Map.Entry<Integer, long[]> tenant : expected.entrySet()) {
			if (tenant.getValue()[1] > 0) {
				skipped++;
				continue;
			}
			long want = tenant.getValue()[0];
			try {
				String auth = "Bearer " + tokens.get(tenant.getKey());
				HttpResponse<String> count = http.send(request("/api/v1/kv/stats/count").header("Authorization", auth)
					.GET()
					.build(), HttpResponse.BodyHandlers.ofString());
				HttpResponse<String> list = http.send(request("/api/v1/kv?page=1&page_size=1").header("Authorization", auth)
					.GET()
					.build(), HttpResponse.BodyHandlers.ofString());
				if (count.statusCode() != 200 || list.statusCode() != 200) {
					skipped++;
					continue;
				}
				long counted = ((Number) ((Map<?, ?>) Json.parse(count.body())).get("count")).longValue();
				long listed = ((Number) ((Map<?, ?>) Json.parse(list.body())).get("total")).longValue();
				checked++;
				if (counted != want || listed != want) {
					mismatches.add("tenant " + tenant.getKey() + ": " + want + " keys present, count says " + counted
							+ ", list total says " + listed);
				}
			}
			catch (IOException | RuntimeException ex) {
				skipped++;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		return new Totals(checked, mismatches.size(), skipped, mismatches);
	}

	// ---- the report ---------------------------------------------------------------------

	int report(List<Worker> workers, long trafficNanos, long readyAfter, Totals totals) {
		Stats traffic = new Stats(config.duration() + 60);
		Stats verification = new Stats(1);
		long present = 0, absent = 0, hadAmbiguous = 0, unverified = 0;
		for (Worker w : workers) {
			traffic.add(w.traffic);
			verification.add(w.verification);
			present += w.presentAtEnd;
			absent += w.absentAtEnd;
			hadAmbiguous += w.ambiguousAtEnd;
			unverified += w.unverified;
		}
		Histogram all = new Histogram();
		traffic.latency.values().forEach(all::add);
		long total = all.n;
		StringBuilder out = new StringBuilder();
		out.append(String.format("KVStore soak, run %s: %d s of traffic against %s%n", config.runId(), config.duration(),
				config.base()));
		out.append(String.format("%d tenants, %d workers x %d keys (%d keys), request timeout %d s, ambiguous-write grace %d s%n",
				config.tenants(), config.concurrency(), config.keysPerWorker(), config.concurrency() * config.keysPerWorker(),
				config.timeout().toSeconds(), config.grace().toSeconds()));
		out.append('\n');
		if (restartStart >= 0) {
			out.append(String.format("restart     command ran from t=%.1fs to t=%.1fs%s%n", restartStart / 1e9,
					restartEnd / 1e9, (restartExit == 0) ? "" : " (exit status " + restartExit + ")"));
			for (String line : restartOutput) {
				out.append("            ").append(line).append('\n');
			}
		}
		else {
			out.append("restart     none\n");
		}
		out.append(String.format("requests    %,d in %.1f s: %,.0f/s%n", total, trafficNanos / 1e9, total / (trafficNanos / 1e9)));
		out.append("by status   ");
		out.append(String.join(", ", traffic.byStatus.entrySet().stream().map((e) -> e.getKey() + ": " + String.format("%,d", e.getValue())).toList()));
		out.append('\n');
		long failed = traffic.failedByOp.values().stream().mapToLong(Long::longValue).sum();
		if (failed > 0) {
			out.append(String.format("failed      %,d (5xx, timeouts, I/O errors), answered between t=%.1fs and t=%.1fs", failed,
					traffic.firstFailure / 1e9, traffic.lastFailure / 1e9));
			if (restartEnd >= 0) {
				out.append((traffic.lastFailure > restartEnd)
						? String.format("; the last %.1f s after the restart command ended",
								(traffic.lastFailure - restartEnd) / 1e9)
						: "; none after the restart command ended");
			}
			out.append('\n');
		}
		else {
			out.append("failed      none\n");
		}
		out.append(String.format("slow        %,d answers took more than 1 s%n", traffic.slow));
		out.append(String.format("ambiguous   %,d writes got no definite answer (may or may not have been applied)%n",
				traffic.ambiguousWrites));
		if (readyAfter >= 0) {
			out.append(String.format("ready       /api/v1/health/ready answered 200 at t=%.1fs, after the traffic%n", readyAfter / 1e9));
		}
		else {
			out.append("ready       /api/v1/health/ready did not answer 200 within 60 s after the traffic\n");
		}
		out.append('\n');
		out.append(String.format("%-46s %10s %9s %9s %9s %9s%n", "operation", "requests", "p50 ms", "p99 ms", "max ms", "failed"));
		for (Op op : Op.values()) {
			Histogram h = (op == Op.VERIFY) ? verification.latency.get(op) : traffic.latency.get(op);
			if (h == null) {
				continue;
			}
			long f = ((op == Op.VERIFY) ? verification : traffic).failedByOp.getOrDefault(op, 0L);
			out.append(String.format("%-46s %,10d %9.2f %9.2f %9.1f %9d%n", op.label, h.n, h.percentileMs(0.50),
					h.percentileMs(0.99), h.max / 1e6, f));
		}
		out.append(String.format("%-46s %,10d %9.2f %9.2f %9.1f %9d%n", "all traffic", all.n, all.percentileMs(0.50),
				all.percentileMs(0.99), all.max / 1e6, failed));
		if (!traffic.answers.isEmpty()) {
			out.append("\nanswers other than 2xx, 404 and 409 (status, body, Retry-After):\n");
			traffic.answers.entrySet()
				.stream()
				.sorted(Map.Entry.<String, Long>comparingByValue().reversed())
				.limit(12)
				.forEach((e) -> out.append(String.format("  %,9d  %s%n", e.getValue(), e.getKey())));
		}
		if (failed > 0) {
			out.append("\naround the failures, per second: requests / failed\n");
			int from = (int) Math.max(0, traffic.firstFailure / 1_000_000_000L - 2);
			int to = (int) Math.min(traffic.perSecond.length - 1, traffic.lastFailure / 1_000_000_000L + 2);
			for (int s = from; s <= to && s - from < 60; s++) {
				out.append(String.format("  t=%4ds %,7d / %,d%n", s, traffic.perSecond[s], traffic.failedPerSecond[s]));
			}
		}

		long lostDuring = traffic.verdicts.getOrDefault(Verdict.LOST, 0L);
		long wrongDuring = traffic.verdicts.getOrDefault(Verdict.WRONG_VERSION, 0L)
				+ traffic.verdicts.getOrDefault(Verdict.WRONG_VALUE, 0L);
		long lost = verification.verdicts.getOrDefault(Verdict.LOST, 0L);
		long wrongVersion = verification.verdicts.getOrDefault(Verdict.WRONG_VERSION, 0L);
		long wrongValue = verification.verdicts.getOrDefault(Verdict.WRONG_VALUE, 0L);
		out.append('\n');
		out.append(String.format("during the traffic  %,d definite answers checked against the expected states: %d lost, %d wrong%n",
				traffic.checks, lostDuring, wrongDuring));
		out.append(String.format("verification        %,d keys checked (%,d present, %,d absent; %,d had ambiguous writes): "
				+ "%d lost writes, %d wrong versions, %d wrong values, %d unverified%n",
				present + absent, present, absent, hadAmbiguous, lost, wrongVersion, wrongValue, unverified));
		out.append(String.format("tenant totals       %d tenants: count and list total equal the keys present in %d, differ in %d"
				+ " (%d skipped: keys in doubt or no answer)%n", totals.checked() + totals.skipped(),
				totals.checked() - totals.mismatched(), totals.mismatched(), totals.skipped()));
		out.append("  verification answers: ")
			.append(String.join(", ", verification.byStatus.entrySet().stream().map((e) -> e.getKey() + ": " + e.getValue()).toList()))
			.append('\n');
		List<String> problems = new ArrayList<>(traffic.violations);
		problems.addAll(verification.violations);
		problems.addAll(totals.mismatches());
		for (String p : problems.subList(0, Math.min(20, problems.size()))) {
			out.append("  ").append(p).append('\n');
		}
		int rc;
		if (lost + lostDuring > 0) {
			out.append("RESULT: FAIL: acknowledged writes were lost\n");
			rc = 1;
		}
		else if (wrongVersion + wrongValue + wrongDuring + totals.mismatched() > 0) {
			out.append("RESULT: FAIL: wrong versions, values or totals\n");
			rc = 1;
		}
		else if (unverified > 0) {
			out.append("RESULT: INCOMPLETE: " + unverified + " keys could not be read after the traffic\n");
			rc = 3;
		}
		else {
			out.append("RESULT: PASS: every acknowledged write is present with the right version\n");
			rc = 0;
		}
		System.out.print(out);
		System.out.flush();
		return rc;
	}

	// ---- small things ------------------------------------------------------------------

	static void log(String format, Object... args) {
		System.err.printf("[soak %s] %s%n", LocalTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")),
				String.format(format, args));
	}

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	static String abbreviate(String s, int max) {
		String flat = (s == null) ? "" : s.replaceAll("\\s+", " ");
		return (flat.length() <= max) ? flat : flat.substring(0, max) + "...";
	}

	static String quote(String s) {
		StringBuilder out = new StringBuilder("\"");
		for (char ch : s.toCharArray()) {
			switch (ch) {
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				case '\n' -> out.append("\\n");
				case '\r' -> out.append("\\r");
				case '\t' -> out.append("\\t");
				default -> {
					if (ch < 0x20) {
						out.append(String.format("\\u%04x", (int) ch));
					}
					else {
						out.append(ch);
					}
				}
			}
		}
		return out.append('"').toString();
	}

	/** A small JSON reader: objects as Maps, arrays as Lists, numbers as Long or Double. */
	static final class Json {

		private final String s;

		private int i;

		private Json(String s) {
			this.s = s;
		}

		static Object parse(String text) {
			Json json = new Json(text);
			json.space();
			Object value = json.value();
			json.space();
			if (json.i != text.length()) {
				throw json.error("trailing characters");
			}
			return value;
		}

		private Object value() {
			if (i >= s.length()) {
				throw error("unexpected end");
			}
			char ch = s.charAt(i);
			return switch (ch) {
				case '{' -> object();
				case '[' -> array();
				case '"' -> string();
				case 't' -> literal("true", Boolean.TRUE);
				case 'f' -> literal("false", Boolean.FALSE);
				case 'n' -> literal("null", null);
				default -> number();
			};
		}

		private Map<String, Object> object() {
			Map<String, Object> map = new LinkedHashMap<>();
			i++;
			space();
			if (peek() == '}') {
				i++;
				return map;
			}
			while (true) {
				space();
				String key = string();
				space();
				expect(':');
				space();
				map.put(key, value());
				space();
				if (peek() == ',') {
					i++;
					continue;
				}
				expect('}');
				return map;
			}
		}

		private List<Object> array() {
			List<Object> list = new ArrayList<>();
			i++;
			space();
			if (peek() == ']') {
				i++;
				return list;
			}
			while (true) {
				space();
				list.add(value());
				space();
				if (peek() == ',') {
					i++;
					continue;
				}
				expect(']');
				return list;
			}
		}

		private String string() {
			expect('"');
			StringBuilder out = new StringBuilder();
			while (true) {
				if (i >= s.length()) {
					throw error("unterminated string");
				}
				char ch = s.charAt(i++);
				if (ch == '"') {
					return out.toString();
				}
				if (ch != '\\') {
					out.append(ch);
					continue;
				}
				char escape = s.charAt(i++);
				switch (escape) {
					case 'b' -> out.append('\b');
					case 'f' -> out.append('\f');
					case 'n' -> out.append('\n');
					case 'r' -> out.append('\r');
					case 't' -> out.append('\t');
					case 'u' -> {
						out.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
						i += 4;
					}
					default -> out.append(escape);
				}
			}
		}

		private Object number() {
			int start = i;
			while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
				i++;
			}
			String n = s.substring(start, i);
			if (n.isEmpty()) {
				throw error("unexpected character");
			}
			try {
				return (n.contains(".") || n.contains("e") || n.contains("E")) ? (Object) Double.parseDouble(n)
						: (Object) Long.parseLong(n);
			}
			catch (NumberFormatException ex) {
				return Double.parseDouble(n);
			}
		}

		private Object literal(String word, Object value) {
			if (!s.startsWith(word, i)) {
				throw error("unexpected character");
			}
			i += word.length();
			return value;
		}

		private char peek() {
			if (i >= s.length()) {
				throw error("unexpected end");
			}
			return s.charAt(i);
		}

		private void expect(char ch) {
			if (peek() != ch) {
				throw error("expected '" + ch + "'");
			}
			i++;
		}

		private void space() {
			while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
				i++;
			}
		}

		private IllegalArgumentException error(String what) {
			return new IllegalArgumentException("JSON: " + what + " at " + i);
		}

	}

}
