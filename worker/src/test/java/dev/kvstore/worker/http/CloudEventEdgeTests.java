package dev.kvstore.worker.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.kvstore.audit.AuditEvent;
import dev.kvstore.audit.AuditSignature;
import dev.kvstore.audit.AuditSink;
import dev.kvstore.audit.AuditLog;
import dev.kvstore.audit.AuditQuery;
import dev.kvstore.json.ApiJson;
import dev.kvstore.tenant.TenantId;
import dev.kvstore.worker.TestExchange;
import dev.kvstore.worker.WorkerTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The worker as Knative calls it: CloudEvents over HTTP, binary and structured, answered
 * without echoing any {@code ce-*} header.
 */
@WorkerTest
class CloudEventEdgeTests {

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@LocalServerPort
	int port;

	@Autowired
	AuditLog log;

	@Autowired
	AuditSink relaySink;

	@Autowired
	TestExchange exchange;

	@Autowired
	AmqpAdmin admin;

	@Autowired
	RabbitTemplate rabbit;

	private static final AuditSignature SIGNATURE = new AuditSignature(WorkerTest.AUDIT_SIGNING_KEY);

	@Test
	void storesAnAuditEventSentInBinaryMode() throws Exception {
		AuditEvent event = event();

		HttpResponse<String> response = send(CloudEventEdge.AUDIT_PATH, signed(event), "application/json",
				"ce-specversion", "1.0", "ce-type", "dev.knative.rabbitmq.event", "ce-id", "42", "ce-source",
				"/kvstore/audit");

		assertThat(response.statusCode()).isEqualTo(202);
		assertThat(response.headers().map().keySet()).noneMatch((name) -> name.toLowerCase().startsWith("ce-"));
		assertThat(stored(event)).containsExactly(event);
	}

	@Test
	void storesAnAuditEventSentInStructuredMode() throws Exception {
		AuditEvent inData = event();
		AuditEvent inBase64 = event();
		String data = signed(inData);
		String base64 = Base64.getEncoder().encodeToString(signed(inBase64).getBytes(StandardCharsets.UTF_8));

		int first = send(CloudEventEdge.AUDIT_PATH,
				"{\"specversion\":\"1.0\",\"type\":\"t\",\"id\":\"1\",\"source\":\"/s\","
						+ "\"datacontenttype\":\"application/json\",\"data\":" + data + "}",
				"application/cloudevents+json")
			.statusCode();
		int second = send(CloudEventEdge.AUDIT_PATH,
				"{\"specversion\":\"1.0\",\"type\":\"t\",\"id\":\"2\",\"source\":\"/s\",\"data_base64\":\"" + base64
						+ "\"}",
				"application/cloudevents+json; charset=utf-8")
			.statusCode();

		assertThat(first).isEqualTo(202);
		assertThat(second).isEqualTo(202);
		assertThat(stored(inData)).containsExactly(inData);
		assertThat(stored(inBase64)).containsExactly(inBase64);
	}

	@Test
	void refusesWhatIsNotAnAuditEvent() throws Exception {
		assertThat(send(CloudEventEdge.AUDIT_PATH, "{\"pad\":\"" + "x".repeat(CloudEventEdge.MAX_BODY) + "\"}",
				"application/json")
			.statusCode()).isEqualTo(413);
		assertThat(send(CloudEventEdge.AUDIT_PATH, "{\"hello\":1}", "application/json").statusCode()).isEqualTo(400);
		assertThat(send(CloudEventEdge.AUDIT_PATH, "not json", "application/json").statusCode()).isEqualTo(400);
	}

	/**
	 * Nobody else in the cluster can write to an audit log: Knative's RabbitMQ source
	 * sends no secret, so an event must carry the signature the relay gave it.
	 */
	@Test
	void refusesAnAuditEventWithoutItsSignature() throws Exception {
		AuditEvent event = event();
		AuditEvent signedElsewhere = new AuditSignature("another key").sign(event);
		AuditEvent tampered = SIGNATURE.sign(event).withSignature(SIGNATURE.sign(otherKey(event)).signature());

		for (AuditEvent refused : List.of(event, signedElsewhere, tampered)) {
			assertThat(send(CloudEventEdge.AUDIT_PATH, ApiJson.mapper().writeValueAsString(refused), "application/json")
				.statusCode()).isEqualTo(401);
		}
		assertThat(stored(event)).isEmpty();
	}

	/** What the relay publishes, as the RabbitMQ source hands it on, passes the check. */
	@Test
	void acceptsTheEventsTheRelayPublishes() throws Exception {
		Queue tap = new Queue(this.exchange.name() + ".tap", false, false, false);
		this.admin.declareQueue(tap);
		this.admin.declareBinding(BindingBuilder.bind(tap).to(new TopicExchange(this.exchange.name())).with("#"));
		try {
			AuditEvent first = event();
			AuditEvent second = event();
			this.relaySink.deliver(List.of(first, second));

			for (int i = 0; i < 2; i++) {
				Message published = this.rabbit.receive(tap.getName(), 5000);
				assertThat(published).isNotNull();
				assertThat(send(CloudEventEdge.AUDIT_PATH, new String(published.getBody(), StandardCharsets.UTF_8),
						"application/json")
					.statusCode()).isEqualTo(202);
			}
		}
		finally {
			this.admin.deleteQueue(tap.getName());
		}
	}

	@Test
	void runsTheCleanupOnAPingSourceTick() throws Exception {
		HttpResponse<String> response = send(CloudEventEdge.CLEANUP_PATH, "{}", "application/json", "ce-specversion",
				"1.0", "ce-type", "dev.knative.sources.ping", "ce-id", "7", "ce-source", "/apis/v1/pingsources",
				CloudEventEdge.TOKEN_HEADER, WorkerTest.CLEANUP_TOKEN);

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"removed\"");
		assertThat(response.headers().map().keySet()).noneMatch((name) -> name.toLowerCase().startsWith("ce-"));
	}

	/** Nobody else in the cluster can make the worker sweep: a tick carries the token. */
	@Test
	void refusesACleanupTickWithoutItsToken() throws Exception {
		assertThat(send(CloudEventEdge.CLEANUP_PATH, "{}", "application/json").statusCode()).isEqualTo(401);
		assertThat(send(CloudEventEdge.CLEANUP_PATH, "{}", "application/json", CloudEventEdge.TOKEN_HEADER,
				WorkerTest.CLEANUP_TOKEN + "x")
			.statusCode()).isEqualTo(401);
	}

	private HttpResponse<String> send(String path, String body, String contentType, String... headers)
			throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.header("Content-Type", contentType);
		if (headers.length > 0) {
			request.headers(headers);
		}
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private List<AuditEvent> stored(AuditEvent event) {
		return this.log.page(new TenantId(event.tenantId()), new AuditQuery(10, null)).items();
	}

	private static String signed(AuditEvent event) {
		return ApiJson.mapper().writeValueAsString(SIGNATURE.sign(event));
	}

	private static AuditEvent otherKey(AuditEvent event) {
		return new AuditEvent(event.eventId(), event.tenantId(), event.operation(), event.key() + "-other",
				event.version(), event.outcome(), event.timestamp(), event.requestId(), event.clientAddress());
	}

	private static AuditEvent event() {
		return new AuditEvent("ce-" + UUID.randomUUID(), UUID.randomUUID(), "update", "k", 2L, "success",
				Instant.parse("2026-11-26T09:00:00Z"), "r", "10.0.0.1");
	}

}
