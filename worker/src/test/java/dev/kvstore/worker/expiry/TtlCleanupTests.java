package dev.kvstore.worker.expiry;

import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.IntNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.client.RestClient;

import dev.kvstore.TestRedis;
import dev.kvstore.audit.AuditEvent;
import dev.kvstore.audit.AuditLog;
import dev.kvstore.audit.AuditQuery;
import dev.kvstore.kv.EntryRepository;
import dev.kvstore.kv.ExpiredEntryCleanup;
import dev.kvstore.kv.NewEntry;
import dev.kvstore.tenant.Caller;
import dev.kvstore.tenant.TenantId;
import dev.kvstore.worker.WorkerTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The cron-triggered function removes expired entries, audits each through RabbitMQ, and
 * shows in the metrics.
 */
@WorkerTest
class TtlCleanupTests {

	@Autowired
	@Qualifier("ttlCleanup")
	Supplier<ExpiredEntryCleanup.Report> ttlCleanup;

	@Autowired
	EntryRepository entries;

	@Autowired
	AuditLog log;

	@Autowired
	MeterRegistry meters;

	@LocalServerPort
	int port;

	@Test
	void removesExpiredEntriesAndAuditsEach() {
		TenantId tenant = TestRedis.newTenant();
		Caller caller = Caller.system(tenant);
		this.entries.create(caller, new NewEntry("brief", IntNode.valueOf(1), 1L, Map.of("t", "x"))).block();
		this.entries.create(caller, new NewEntry("lasting", IntNode.valueOf(2), null, Map.of())).block();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.entries.count(caller).block() == 1);
		double runsBefore = this.meters.counter("background_tasks", "task", "ttl_cleanup", "status", "success").count();

		// The entry reaches the cleanup's schedule through the audit relay, and its
		// expire
		// event the log through the broker and the worker: generous waits for a busy
		// machine.
		await().atMost(Duration.ofSeconds(30)).until(() -> this.ttlCleanup.get().removed() > 0 || expired(tenant));

		await().atMost(Duration.ofSeconds(30)).until(() -> expired(tenant));
		assertThat(this.entries.exists(caller, "lasting").block()).isTrue();
		assertThat(this.meters.counter("background_tasks", "task", "ttl_cleanup", "status", "success").count())
			.isGreaterThan(runsBefore);
		String metrics = RestClient.create("http://127.0.0.1:" + this.port)
			.get()
			.uri("/metrics")
			.retrieve()
			.body(String.class);
		assertThat(metrics).contains("background_tasks_total{", "task=\"ttl_cleanup\"",
				"background_task_duration_seconds_bucket{");
	}

	private boolean expired(TenantId tenant) {
		return this.log.page(tenant, new AuditQuery(50, null))
			.items()
			.stream()
			.anyMatch((event) -> event.operation().equals(AuditEvent.Operation.EXPIRE.wire())
					&& "brief".equals(event.key()));
	}

}
