package dev.kvstore.worker.lambda;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.cloud.function.adapter.aws.FunctionInvoker;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.kvstore.TestRedis;
import dev.kvstore.audit.AuditEvent;
import dev.kvstore.audit.AuditLog;
import dev.kvstore.audit.AuditQuery;
import dev.kvstore.json.ApiJson;
import dev.kvstore.tenant.TenantId;
import dev.kvstore.worker.WorkerApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The worker as Lambda runs it, in-process: an Amazon MQ for RabbitMQ event (AWS's
 * sample, its message data replaced by base64 audit events) reaches {@code audit}; an
 * EventBridge scheduled event triggers {@code ttlCleanup}.
 */
class WorkerLambdaTests {

	private static final Path SAMPLES = Path.of("../../shared/reference/aws-events");

	private final StringRedisTemplate redis = TestRedis.template();

	@Test
	void storesTheAuditEventsOfAnAmazonMqEvent() throws IOException {
		assumeTrue(Files.isDirectory(SAMPLES), "the AWS event samples are not beside the repository");
		TenantId tenant = TenantId.random();
		AuditEvent event = new AuditEvent("mq-" + UUID.randomUUID(), tenant.value(), "create", "k", 1L, "success",
				Instant.parse("2026-11-26T12:00:00Z"), "r", "192.0.2.1");
		ObjectNode mq = (ObjectNode) JsonMapper.shared()
			.readTree(Files.readString(SAMPLES.resolve("rabbitmq_event.json")));
		ObjectNode message = (ObjectNode) mq.get("rmqMessagesByQueue").properties().iterator().next().getValue().get(0);
		message.put("data", Base64.getEncoder().encodeToString(ApiJson.mapper().writeValueAsBytes(event)));

		invoke("auditFromMq", JsonMapper.shared().writeValueAsBytes(mq));

		assertThat(new AuditLog(this.redis, Duration.ofDays(30)).page(tenant, new AuditQuery(10, null)).items())
			.containsExactly(event);
	}

	@Test
	void runsTheCleanupOnAScheduledEvent() throws IOException {
		assumeTrue(Files.isDirectory(SAMPLES), "the AWS event samples are not beside the repository");

		String report = invoke("ttlCleanupOnSchedule", Files.readAllBytes(SAMPLES.resolve("cloudwatch_event.json")));

		assertThat(JsonMapper.shared().readTree(report).has("removed")).isTrue();
	}

	private static String invoke(String function, byte[] event) throws IOException {
		Map<String, String> properties = Map.of("MAIN_CLASS", WorkerApplication.class.getName(), "STREAM_FUNCTIONS", "",
				"kvstore.cleanup.schedule", "false", "server.port", "0");
		properties.forEach(System::setProperty);
		try {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			new FunctionInvoker(function).handleRequest(new ByteArrayInputStream(event), out, null);
			return out.toString();
		}
		finally {
			properties.keySet().forEach(System::clearProperty);
		}
	}

}
