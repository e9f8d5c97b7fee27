import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The traffic of the functions app's AOT training run ({@code train.sh}): registers a
 * tenant of its own, creates keys, then for the given seconds sends the request mix of a
 * busy API from several connections (GETs mostly, PUTs, creates, a list page, a miss),
 * so that the JIT's profiles of the request path go into the JDK 25 AOT cache with the
 * classes. Deletes its tenant at the end. Run with the JDK's source launcher:
 * {@code java Train.java http://127.0.0.1:8080 40}.
 */
public class Train {

	private static final int KEYS = 100;

	private static final int CONNECTIONS = 16;

	private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");

	private final HttpClient client = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final String base;

	private final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();

	private String bearer;

	Train(String base) {
		this.base = base;
	}

	public static void main(String[] args) throws Exception {
		if (args.length != 2) {
			System.err.println("usage: java Train.java <base url> <seconds>");
			System.exit(2);
		}
		Train train = new Train(args[0]);
		train.awaitHealth(Duration.ofSeconds(120));
		train.register();
		try {
			train.load(Duration.ofSeconds(Long.parseLong(args[1])));
		}
		finally {
			train.send("DELETE", "/api/v1/auth/me", null);
		}
		System.out.println("training traffic by status: " + new TreeMap<>(train.statuses));
	}

	void awaitHealth(Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			try {
				if (send("GET", "/health", null) == 200) {
					return;
				}
			}
			catch (RuntimeException ex) {
				// not listening yet
			}
			Thread.sleep(100);
		}
		throw new IllegalStateException("the app did not answer /health within " + timeout);
	}

	void register() throws Exception {
		String user = "aot" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
		String body = "{\"username\":\"%s\",\"email\":\"%s@example.com\",\"password\":\"Training-%s\"}"
			.formatted(user, user, UUID.randomUUID());
		HttpRequest request = HttpRequest.newBuilder(URI.create(this.base + "/api/v1/auth/register"))
			.header("Content-Type", "application/json")
			.POST(BodyPublishers.ofString(body))
			.build();
		String answer = this.client.send(request, BodyHandlers.ofString()).body();
		Matcher token = ACCESS_TOKEN.matcher(answer);
		if (!token.find()) {
			throw new IllegalStateException("registration answered no token: " + answer);
		}
		this.bearer = "Bearer " + token.group(1);
		for (int i = 0; i < KEYS; i++) {
			send("POST", "/api/v1/kv", "{\"key\":\"k%d\",\"value\":\"%s\",\"tags\":{\"t\":\"%d\"}}".formatted(i,
					"v".repeat(100), i % 4));
		}
	}

	void load(Duration duration) throws InterruptedException {
		long end = System.nanoTime() + duration.toNanos();
		List<Thread> threads = new ArrayList<>();
		for (int c = 0; c < CONNECTIONS; c++) {
			threads.add(Thread.ofPlatform().start(() -> {
				while (System.nanoTime() < end) {
					try {
						oneRequest(ThreadLocalRandom.current());
					}
					catch (RuntimeException ex) {
						this.statuses.computeIfAbsent(0, (s) -> new LongAdder()).increment();
					}
				}
			}));
		}
		for (Thread thread : threads) {
			thread.join();
		}
	}

	private void oneRequest(ThreadLocalRandom random) {
		int dice = random.nextInt(100);
		String key = "k" + random.nextInt(KEYS);
		if (dice < 75) {
			send("GET", "/api/v1/kv/" + key, null);
		}
		else if (dice < 85) {
			send("PUT", "/api/v1/kv/" + key, "{\"value\":" + random.nextInt() + "}");
		}
		else if (dice < 95) {
			String created = "n" + UUID.randomUUID();
			send("POST", "/api/v1/kv", "{\"key\":\"" + created + "\",\"value\":1,\"ttl\":60}");
		}
		else if (dice < 98) {
			send("GET", "/api/v1/kv?page_size=20&tag_filter=t:1", null);
		}
		else {
			send("GET", "/api/v1/kv/missing", null);
		}
	}

	private int send(String method, String path, String body) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.base + path))
			.timeout(Duration.ofSeconds(10))
			.method(method, (body != null) ? BodyPublishers.ofString(body) : BodyPublishers.noBody());
		if (body != null) {
			request.header("Content-Type", "application/json");
		}
		if (this.bearer != null) {
			request.header("Authorization", this.bearer);
		}
		try {
			int status = this.client.send(request.build(), BodyHandlers.discarding()).statusCode();
			this.statuses.computeIfAbsent(status, (s) -> new LongAdder()).increment();
			return status;
		}
		catch (IOException ex) {
			throw new IllegalStateException(method + " " + path + ": " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
