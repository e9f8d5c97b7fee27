package dev.kvstore.audit;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.kvstore.json.ApiJson;

import static org.assertj.core.api.Assertions.assertThat;

class AuditSignatureTests {

	private final AuditSignature signature = new AuditSignature("a shared secret");

	private final AuditEvent event = new AuditEvent("t:1-0", UUID.randomUUID(), "update", "k", 2L, "success",
			Instant.parse("2026-12-01T08:00:00.123456789Z"), "r", "10.0.0.1", "key-1");

	@Test
	void acceptsAnEventItSignedAfterItsJsonRoundTrip() {
		AuditEvent signed = this.signature.sign(this.event);
		AuditEvent received = ApiJson.mapper().readValue(ApiJson.mapper().writeValueAsBytes(signed), AuditEvent.class);

		assertThat(received.signature()).isNotBlank();
		assertThat(this.signature.accepts(received)).isTrue();
	}

	@Test
	void refusesAnUnsignedAChangedOrAnotherKeysEvent() {
		AuditEvent signed = this.signature.sign(this.event);
		AuditEvent changed = new AuditEvent(signed.eventId(), signed.tenantId(), "delete", signed.key(),
				signed.version(), signed.outcome(), signed.timestamp(), signed.requestId(), signed.clientAddress(),
				signed.apiKey(), signed.signature());

		assertThat(this.signature.accepts(this.event)).isFalse();
		assertThat(this.signature.accepts(changed)).isFalse();
		assertThat(this.signature.accepts(new AuditSignature("another secret").sign(this.event))).isFalse();
	}

	@Test
	void withoutAKeySignsNothingAndAcceptsEverything() {
		AuditSignature none = new AuditSignature("");

		assertThat(none.sign(this.event)).isEqualTo(this.event);
		assertThat(none.accepts(this.event)).isTrue();
	}

	@Test
	void theSignatureIsNeverStored() {
		assertThat(ApiJson.mapper().writeValueAsString(this.event.withSignature(null))).doesNotContain("signature");
	}

}
