package dev.kvstore.functions.kv;

import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import dev.kvstore.functions.ApiClient;
import dev.kvstore.functions.ApiClient.Session;
import dev.kvstore.functions.ApiTest;
import dev.kvstore.functions.dispatch.ApiRequest;
import dev.kvstore.functions.dispatch.ApiResponse;
import dev.kvstore.functions.dispatch.Dispatcher;
import dev.kvstore.json.ApiJson;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/v1/watch} over HTTP: Server-Sent Events of the caller's changes,
 * resumed by {@code Last-Event-ID}, with heartbeats, and refused as any request is.
 */
@ApiTest
@TestPropertySource(properties = { "WATCH_HEARTBEAT=300ms", "WATCH_POLL_INTERVAL=50ms", "WATCH_MAX_PER_TENANT=3" })
class WatchApiTests {

	private static final String WATCH = "/api/v1/watch";

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static final HttpClient http = HttpClient.newHttpClient();

	@Autowired
	ApiClient api;

	@Autowired
	Dispatcher dispatcher;

	Session alice;

	private final List<EventStream> open = new ArrayList<>();

	@BeforeEach
	void setUp() {
		this.alice = this.api.register();
	}

	@AfterEach
	void closeWatches() {
		this.open.forEach(EventStream::close);
	}

	@Test
	void streamsTheCallersChangesAsServerSentEvents() {
		EventStream watch = watch(WATCH + "?values=true", this.alice.accessToken());
		assertThat(watch.status()).isEqualTo(200);
		assertThat(watch.headers().firstValue("Content-Type")).hasValue("text/event-stream");
		assertThat(watch.headers().firstValue("Cache-Control")).hasValue("no-store");
		assertThat(watch.headers().firstValue("X-Request-ID")).isPresent();
		Session bob = this.api.register();

		String tag = this.api.post("/api/v1/kv", this.alice.accessToken(), "{\"key\":\"k\",\"value\":{\"a\":1}}")
			.headers()
			.firstValue("ETag")
			.orElseThrow();
		this.api.post("/api/v1/kv", bob.accessToken(), "{\"key\":\"bobs\",\"value\":1}").ok(201);
		Event created = watch.next();
		this.api.delete("/api/v1/kv/k", this.alice.accessToken()).ok(200);
		Event deleted = watch.next();

		assertThat(created.name()).isEqualTo("create");
		assertThat('"' + created.id() + '"').isEqualTo(tag);
		assertThat(created.data().get("key").asString()).isEqualTo("k");
		assertThat(created.data().get("version").asLong()).isEqualTo(1);
		assertThat(created.data().get("value").get("a").asInt()).isEqualTo(1);
		assertThat(created.data().has("at")).isTrue();
		assertThat(deleted.name()).isEqualTo("delete");
		assertThat(deleted.data().has("value")).isFalse();
		assertThat(watch.heartbeats()).as("heartbeats while nothing changed").isPositive();
	}

	@Test
	void resumesAfterTheLastEventIdAReconnectSends() {
		EventStream first = watch(WATCH, this.alice.accessToken());
		for (int i = 0; i < 3; i++) {
			this.api.post("/api/v1/kv", this.alice.accessToken(), "{\"key\":\"k" + i + "\",\"value\":1}").ok(201);
		}
		List<String> ids = List.of(first.next().id(), first.next().id(), first.next().id());
		first.close();

		EventStream resumed = watch(WATCH + "?last_event_id=0-1", this.alice.accessToken(), "Last-Event-ID",
				ids.get(0));
		assertThat(List.of(resumed.next().id(), resumed.next().id())).isEqualTo(ids.subList(1, 3));
		EventStream fromQuery = watch(WATCH + "?prefix=k2&last_event_id=" + ids.get(0), this.alice.accessToken());
		assertThat(fromQuery.next().id()).isEqualTo(ids.get(2));
	}

	@Test
	void refusesWhatItCannotServe() {
		assertThat(watch(WATCH, null).problem(401)).isNotNull();
		assertThat(
				watch(WATCH, this.alice.accessToken(), "Last-Event-ID", "1000-0").problem(410).get("detail").asString())
			.contains("watch without Last-Event-ID");
		watch(WATCH, this.alice.accessToken(), "Last-Event-ID", "not-an-id").problem(400);
		watch(WATCH, this.alice.accessToken(), "Accept", "application/json").problem(406);
		watch(WATCH + "?values=maybe", this.alice.accessToken()).problem(422);

		for (int i = 0; i < 3; i++) {
			watch(WATCH, this.alice.accessToken());
		}
		JsonNode third = watch(WATCH, this.alice.accessToken()).problem(429);
		assertThat(third.get("limit").asString()).isEqualTo("watches_per_tenant");
		assertThat(this.api.get("/metrics", null).body())
			.containsPattern("(?m)^kvstore_limit_refusals_total\\{limit=\"watches_per_tenant\"\\} [1-9]");
	}

	@Test
	void anApiKeyWatchesUnderItsPrefixOnly() {
		String key = this.api
			.post("/api/v1/auth/api-keys", this.alice.accessToken(),
					"{\"name\":\"feed\",\"scopes\":[\"read\"],\"prefix\":\"app/\"}")
			.ok(201)
			.get("key")
			.asString();
		watch(WATCH + "?prefix=other", key).problem(403);

		EventStream watch = watch(WATCH, key);
		this.api.post("/api/v1/kv", this.alice.accessToken(), "{\"key\":\"other\",\"value\":1}").ok(201);
		this.api.post("/api/v1/kv", this.alice.accessToken(), "{\"key\":\"app/1\",\"value\":1}").ok(201);
		assertThat(watch.next().data().get("key").asString()).isEqualTo("app/1");
	}

	/** A Lambda answers once, whole: none of its edges serves a stream. */
	@Test
	void noLambdaServesIt() {
		String authorization = "Bearer " + this.alice.accessToken();
		ApiRequest request = new ApiRequest("GET", WATCH, Map::of,
				(name) -> name.equals("Authorization") ? authorization : null, (limit) -> Mono.just(new byte[0]), "r",
				"127.0.0.1");

		ApiResponse answer = this.dispatcher.dispatch(request, "").block();

		assertThat(answer.status()).isEqualTo(404);
		assertThat(answer.stream()).isNull();
	}

	private EventStream watch(String path, String token, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.api.port() + path))
			.timeout(WAIT)
			.header("Accept", "text/event-stream");
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		if (headers.length > 0) {
			request.setHeader(headers[0], headers[1]);
		}
		try {
			HttpResponse<Stream<String>> response = http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
			EventStream stream = new EventStream(response);
			this.open.add(stream);
			return stream;
		}
		catch (java.io.IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** One server-sent event: its id, its name and its data as JSON. */
	record Event(String id, String name, JsonNode data) {
	}

	/** An open answer, read line by line on a thread of its own. */
	private static final class EventStream {

		private final HttpResponse<Stream<String>> response;

		private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

		private final BlockingQueue<String> comments = new LinkedBlockingQueue<>();

		private final List<String> body = new ArrayList<>();

		private final CountDownLatch ended = new CountDownLatch(1);

		EventStream(HttpResponse<Stream<String>> response) {
			this.response = response;
			Thread.ofVirtual().start(this::read);
		}

		int status() {
			return this.response.statusCode();
		}

		HttpHeaders headers() {
			return this.response.headers();
		}

		/** The problem+json answer of a refused watch. */
		JsonNode problem(int status) {
			assertThat(status()).isEqualTo(status);
			assertThat(headers().firstValue("Content-Type")).hasValue("application/problem+json");
			try {
				assertThat(this.ended.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("the answer ended").isTrue();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			synchronized (this.body) {
				return ApiJson.mapper().readTree(String.join("\n", this.body));
			}
		}

		Event next() {
			try {
				Event event = this.events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
				assertThat(event).as("an event within " + WAIT).isNotNull();
				return event;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}

		/** Waits for a heartbeat; how many came. */
		long heartbeats() {
			try {
				String comment;
				do {
					comment = this.comments.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
				}
				while (comment != null && !comment.equals("heartbeat"));
				return (comment != null) ? 1 : 0;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return 0;
			}
		}

		void close() {
			this.response.body().close();
		}

		private void read() {
			String id = null;
			String name = null;
			String data = null;
			try {
				Iterator<String> lines = this.response.body().iterator();
				while (lines.hasNext()) {
					String line = lines.next();
					synchronized (this.body) {
						this.body.add(line);
					}
					if (line.startsWith(": ")) {
						this.comments.add(line.substring(2));
					}
					else if (line.startsWith("id: ")) {
						id = line.substring(4);
					}
					else if (line.startsWith("event: ")) {
						name = line.substring(7);
					}
					else if (line.startsWith("data: ")) {
						data = line.substring(6);
					}
					else if (line.isEmpty() && data != null) {
						this.events.add(new Event(id, name, ApiJson.mapper().readTree(data)));
						id = null;
						name = null;
						data = null;
					}
				}
			}
			catch (RuntimeException ex) {
				// Closed by the test.
			}
			finally {
				this.ended.countDown();
			}
		}

	}

}
