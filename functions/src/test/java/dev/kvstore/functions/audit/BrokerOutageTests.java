package dev.kvstore.functions.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.kvstore.audit.AuditEvent;
import dev.kvstore.audit.AuditLog;
import dev.kvstore.json.ApiJson;
import dev.kvstore.redis.RedisKeys;
import dev.kvstore.tenant.TenantId;
import dev.kvstore.RedisCluster;
import dev.kvstore.TestBroker;
import dev.kvstore.functions.ApiClient;
import dev.kvstore.functions.ApiClient.Session;
import dev.kvstore.functions.ApiTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The API publishes audit events to the real RabbitMQ through a proxy the test cuts:
 * while the broker is unreachable every write is still acknowledged at once, and once it
 * is back every event of those writes reaches the tenant's audit log. The worker's
 * consumer is played here by the same one line it runs ({@link AuditLog#append}).
 */
// A cluster has no database 1: there other test contexts' relays would take its parked
// tenants, so it runs against the single Redis only.
@Tag(RedisCluster.OWN_REDIS)
@Import(ApiClient.Configuration.class)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.data.redis.host=${REDIS_HOST:localhost}", "SECRET_KEY=" + ApiTest.SECRET,
				"BCRYPT_STRENGTH=4",
				// Its own database: no relay of another test context (in-process) can
				// take its parked tenants.
				"spring.data.redis.database=1" })
@Timeout(value = 5, unit = TimeUnit.MINUTES) // its own waits add up to more than the
												// default 2
class BrokerOutageTests {

	static final TcpProxy proxy = startProxy();

	static final String exchange = "kvstore.audit.test-" + UUID.randomUUID();

	@DynamicPropertySource
	static void broker(DynamicPropertyRegistry registry) {
		registry.add("spring.rabbitmq.host", () -> "127.0.0.1");
		registry.add("spring.rabbitmq.port", proxy::port);
		registry.add("AUDIT_EXCHANGE", () -> exchange);
	}

	@AfterAll
	static void tearDown() {
		proxy.close();
		CachingConnectionFactory connections = new CachingConnectionFactory(TestBroker.host(), TestBroker.port());
		try {
			RabbitAdmin admin = new RabbitAdmin(connections);
			admin.deleteQueue(exchange + ".outage-test");
			admin.deleteQueue(exchange + ".worker");
			admin.deleteQueue(exchange + ".worker.dlq");
			admin.deleteExchange(exchange);
		}
		finally {
			connections.destroy();
		}
	}

	@Autowired
	ApiClient api;

	@Autowired
	StringRedisTemplate redis;

	@Test
	void losesNoAuditEventWhileTheBrokerIsUnreachable() {
		Session alice = this.api.register();

		proxy.cut();
		IntStream.range(0, 10)
			.forEach((i) -> this.api
				.post("/api/v1/kv", alice.accessToken(), "{\"key\":\"k" + i + "\",\"value\":" + i + "}")
				.ok(201));
		this.api.put("/api/v1/kv/k0", alice.accessToken(), "{\"value\":\"changed\"}").ok(200);
		this.api.delete("/api/v1/kv/k1", alice.accessToken()).ok(200);
		// The relay tried, failed, and keeps the events in Redis: the tenant is parked,
		// the outbox full.
		TenantId tenant = TenantId.parse(alice.tenantId());
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.redis.opsForSet().isMember(RedisKeys.pendingOutboxes(), tenant.toString()));
		assertThat(this.redis.opsForStream().size(RedisKeys.outbox(tenant))).isGreaterThanOrEqualTo(12);
		proxy.restore();

		await().atMost(Duration.ofSeconds(120))
			.untilAsserted(() -> assertThat(this.api.get("/api/v1/audit?limit=100", alice.accessToken())
				.ok(200)
				.get("items")
				.valueStream()
				.map((e) -> e.get("operation").asString() + ":" + e.get("key").asString(""))
				.toList()).containsAll(IntStream.range(0, 10).mapToObj((i) -> "create:k" + i).toList())
				.contains("register:", "update:k0", "delete:k1"));
	}

	private static TcpProxy startProxy() {
		try {
			return new TcpProxy(TestBroker.port());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The worker's audit function, played in this app on a queue of its own, bound to the
	 * exchange the relay declares.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class WorkerConsumer {

		@Bean
		Declarables outageTestQueue() {
			Queue queue = new Queue(exchange + ".outage-test");
			TopicExchange events = new TopicExchange(exchange);
			return new Declarables(queue, events, BindingBuilder.bind(queue).to(events).with("#"));
		}

		@Bean
		SimpleMessageListenerContainer audit(ConnectionFactory connections, AuditLog log) {
			SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(connections);
			container.setQueueNames(exchange + ".outage-test");
			container.setMessageListener(
					(message) -> log.append(ApiJson.mapper().readValue(message.getBody(), AuditEvent.class)));
			return container;
		}

	}

}
