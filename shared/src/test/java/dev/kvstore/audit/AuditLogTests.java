package dev.kvstore.audit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.kvstore.TestRedis;
import dev.kvstore.problem.ApiException;
import dev.kvstore.tenant.TenantId;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class AuditLogTests {

	private final AuditLog log = new AuditLog(TestRedis.template(), Duration.ofDays(30));

	private final TenantId tenant = TenantId.random();

	@Test
	void storesARedeliveredEventOnce() {
		AuditEvent event = event("e-1", Instant.now());

		assertThat(this.log.append(event)).isTrue();
		assertThat(this.log.append(event)).isFalse();

		assertThat(this.log.page(this.tenant, new AuditQuery(50, null)).items()).containsExactly(event);
	}

	@Test
	void storesABatchInOneGoAndCountsOnlyWhatIsNew() {
		AuditEvent stored = event("e-1", Instant.now().minusSeconds(2));
		this.log.append(stored);
		AuditEvent fresh = event("e-2", Instant.now().minusSeconds(1));
		TenantId other = TenantId.random();
		AuditEvent others = new AuditEvent("e-3", other.value(), "create", "k", 1L, "success", Instant.now(), "r",
				"127.0.0.1");

		assertThat(this.log.appendAll(List.of(stored, fresh, fresh, others))).isEqualTo(2);
		assertThat(this.log.appendAll(List.of(stored, fresh, others))).isZero();

		assertThat(this.log.page(this.tenant, new AuditQuery(50, null)).items()).containsExactly(fresh, stored);
		assertThat(this.log.page(other, new AuditQuery(50, null)).items()).containsExactly(others);
	}

	@Test
	void pagesNewestFirstWithACursor() {
		Instant start = Instant.now().minusSeconds(100);
		List<AuditEvent> events = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			events.add(event("e-" + i, start.plusSeconds(i)));
			this.log.append(events.getLast());
		}

		AuditLog.Page first = this.log.page(this.tenant, new AuditQuery(2, null));
		AuditLog.Page second = this.log.page(this.tenant, new AuditQuery(2, first.next()));
		AuditLog.Page last = this.log.page(this.tenant, new AuditQuery(2, second.next()));

		assertThat(first.items()).containsExactly(events.get(4), events.get(3));
		assertThat(second.items()).containsExactly(events.get(2), events.get(1));
		assertThat(last.items()).containsExactly(events.get(0));
		assertThat(last.next()).isNull();
	}

	@Test
	void dropsEventsPastRetention() {
		AuditEvent old = event("old", Instant.now().minus(Duration.ofDays(31)));
		AuditEvent recent = event("recent", Instant.now());

		this.log.append(old);
		this.log.append(recent);

		assertThat(this.log.page(this.tenant, new AuditQuery(50, null)).items()).containsExactly(recent);
	}

	@Test
	void keepsEachTenantsLogApart() {
		this.log.append(event("mine", Instant.now()));

		assertThat(this.log.page(TenantId.random(), new AuditQuery(50, null)).items()).isEmpty();
	}

	@Test
	void refusesForgedCursors() {
		assertThatExceptionOfType(ApiException.Invalid.class)
			.isThrownBy(() -> this.log.page(this.tenant, new AuditQuery(10, "not-a-cursor!")));
	}

	private AuditEvent event(String id, Instant at) {
		return new AuditEvent(id, this.tenant.value(), "create", "k", 1L, "success", at, "r", "127.0.0.1");
	}

}
