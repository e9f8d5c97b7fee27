package dev.kvstore.functions.kv;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import dev.kvstore.functions.ApiClient;
import dev.kvstore.functions.ApiClient.Response;
import dev.kvstore.functions.ApiClient.Session;
import dev.kvstore.functions.ApiTest;

import static dev.kvstore.functions.ApiClient.login;
import static dev.kvstore.functions.ApiClient.registration;
import static dev.kvstore.functions.ApiClient.uniqueName;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests that overlap in time: no update is lost, and a name or key that must be unique
 * is given to exactly one of the requests racing for it.
 */
@ApiTest
class ConcurrencyTests {

	@Autowired
	ApiClient api;

	@Test
	void parallelUpdatesOfOneKeyLoseNoUpdate() throws Exception {
		Session session = this.api.register();
		String path = "/api/v1/kv/" + ApiClient.key("counter:shared");
		this.api.post("/api/v1/kv", session.accessToken(), "{\"key\":\"counter:shared\",\"value\":0}").ok(201);

		List<Response> responses = inParallel(50,
				(i) -> this.api.put(path, session.accessToken(), "{\"value\":{\"writer\":%d}}".formatted(i)));

		assertThat(responses)
			.allSatisfy((response) -> assertThat(response.status()).as(response.body()).isEqualTo(200));
		List<Long> versions = responses.stream()
			.map((response) -> response.json().get("metadata").get("version").asLong())
			.sorted()
			.toList();
		assertThat(versions).containsExactlyElementsOf(LongStream.rangeClosed(2, 51).boxed().toList());
		JsonNode stored = this.api.get(path, session.accessToken()).ok(200);
		assertThat(stored.get("metadata").get("version").asLong()).isEqualTo(51);
		int lastWriter = stored.get("value").get("writer").asInt();
		JsonNode lastResponse = responses.get(lastWriter).json();
		assertThat(lastResponse.get("metadata").get("version").asLong()).isEqualTo(51);
	}

	@Test
	void parallelRegistrationsOfOneUsernameAdmitExactlyOne() throws Exception {
		String username = uniqueName();
		List<String> emails = IntStream.range(0, 20).mapToObj((i) -> uniqueName() + "@example.com").toList();

		List<Response> responses = inParallel(20, (i) -> this.api.post("/api/v1/auth/register", null,
				registration(username, emails.get(i), "Passw0rd" + i)));

		Map<Integer, Long> statuses = statuses(responses);
		assertThat(statuses).containsOnly(Map.entry(201, 1L), Map.entry(409, 19L));
		int winner = indexOf(responses, 201);
		responses.stream().filter((response) -> response.status() == 409).forEach((response) -> response.problem(409));
		JsonNode me = this.api.get("/api/v1/auth/me", responses.get(winner).json().get("access_token").asString())
			.ok(200);
		assertThat(me.get("email").asString()).isEqualTo(emails.get(winner));
		this.api.post("/api/v1/auth/login", null, login(username, "Passw0rd" + winner)).ok(200);
		// the losers reserved nothing: their emails are still free
		for (int i = 0; i < emails.size(); i++) {
			if (i != winner) {
				this.api.post("/api/v1/auth/register", null, registration(uniqueName(), emails.get(i), "Passw0rdOk"))
					.ok(201);
			}
		}
	}

	@Test
	void parallelRegistrationsOfOneEmailAdmitExactlyOne() throws Exception {
		String email = uniqueName() + "@example.com";
		List<String> usernames = IntStream.range(0, 20).mapToObj((i) -> uniqueName()).toList();

		List<Response> responses = inParallel(20, (i) -> this.api.post("/api/v1/auth/register", null,
				registration(usernames.get(i), email, "Passw0rd" + i)));

		Map<Integer, Long> statuses = statuses(responses);
		assertThat(statuses).containsOnly(Map.entry(201, 1L), Map.entry(409, 19L));
		int winner = indexOf(responses, 201);
		JsonNode me = this.api.get("/api/v1/auth/me", responses.get(winner).json().get("access_token").asString())
			.ok(200);
		assertThat(me.get("username").asString()).isEqualTo(usernames.get(winner));
		// the losers reserved nothing: their usernames are still free
		for (int i = 0; i < usernames.size(); i++) {
			if (i != winner) {
				this.api.post("/api/v1/auth/login", null, login(usernames.get(i), "Passw0rd" + i)).problem(401);
				this.api
					.post("/api/v1/auth/register", null,
							registration(usernames.get(i), uniqueName() + "@example.com", "Passw0rdOk"))
					.ok(201);
			}
		}
	}

	@Test
	void parallelCreatesOfOneKeyAdmitExactlyOne() throws Exception {
		Session session = this.api.register();
		String key = "race/" + UUID.randomUUID();

		List<Response> responses = inParallel(20, (i) -> this.api.post("/api/v1/kv", session.accessToken(),
				"{\"key\":\"%s\",\"value\":{\"creator\":%d}}".formatted(key, i)));

		Map<Integer, Long> statuses = statuses(responses);
		assertThat(statuses).containsOnly(Map.entry(201, 1L), Map.entry(409, 19L));
		int winner = indexOf(responses, 201);
		responses.stream().filter((response) -> response.status() == 409).forEach((response) -> response.problem(409));
		JsonNode stored = this.api.get("/api/v1/kv/" + ApiClient.key(key), session.accessToken()).ok(200);
		assertThat(stored.get("value").get("creator").asInt()).isEqualTo(winner);
		assertThat(stored.get("metadata").get("version").asLong()).isEqualTo(1);
		assertThat(this.api.get("/api/v1/kv/stats/count", session.accessToken()).ok(200).get("count").asLong())
			.isEqualTo(1);
	}

	/**
	 * Runs {@code count} requests at once: every thread waits at a start gate until all
	 * are ready. Answers come back in request order.
	 */
	private static List<Response> inParallel(int count, IntFunction<Response> request)
			throws InterruptedException, ExecutionException, TimeoutException {
		ExecutorService executor = Executors.newFixedThreadPool(count);
		try {
			CountDownLatch ready = new CountDownLatch(count);
			CountDownLatch start = new CountDownLatch(1);
			List<Future<Response>> futures = new ArrayList<>(count);
			for (int i = 0; i < count; i++) {
				int index = i;
				futures.add(executor.submit(() -> {
					ready.countDown();
					start.await();
					return request.apply(index);
				}));
			}
			assertThat(ready.await(10, TimeUnit.SECONDS)).as("all threads at the start gate").isTrue();
			start.countDown();
			List<Response> responses = new ArrayList<>(count);
			for (Future<Response> future : futures) {
				responses.add(future.get(30, TimeUnit.SECONDS));
			}
			return responses;
		}
		finally {
			executor.shutdownNow();
			assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
		}
	}

	private static Map<Integer, Long> statuses(List<Response> responses) {
		return responses.stream().collect(Collectors.groupingBy(Response::status, Collectors.counting()));
	}

	private static int indexOf(List<Response> responses, int status) {
		return IntStream.range(0, responses.size())
			.filter((i) -> responses.get(i).status() == status)
			.findFirst()
			.orElseThrow();
	}

}
