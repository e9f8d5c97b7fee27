package dev.kvstore.audit;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One audited change or security event. Never a value, a password or a token.
 *
 * @param eventId unique and stable: a redelivered event has the same id
 * @param tenantId the tenant, or {@code null} for a login attempt on an unknown username
 * @param operation what happened, one of {@link Operation}'s names in lower case
 * @param key the entry's key, when the event is about one
 * @param version the entry's version after the change, when there is one
 * @param outcome {@code success} or {@code failure}
 * @param requestId the id of the request that caused it
 * @param clientAddress the client's address as the edge saw it
 * @param apiKey the id of the API key that acted, when one did (not the account's token)
 * @param signature the publisher's {@link AuditSignature}, while the event travels to the
 * worker; never stored
 */
public record AuditEvent(@JsonProperty("event_id") String eventId, @JsonProperty("tenant_id") UUID tenantId,
		@JsonProperty("operation") String operation, @JsonProperty("key") String key,
		@JsonProperty("version") Long version, @JsonProperty("outcome") String outcome,
		@JsonProperty("timestamp") Instant timestamp, @JsonProperty("request_id") String requestId,
		@JsonProperty("client_address") String clientAddress,
		@JsonProperty("api_key") @JsonInclude(JsonInclude.Include.NON_NULL) String apiKey,
		@JsonProperty("signature") @JsonInclude(JsonInclude.Include.NON_NULL) String signature) {

	public static final String SUCCESS = "success";

	public static final String FAILURE = "failure";

	/** What an event can be about; the wire form is the lower-case name. */
	public enum Operation {

		REGISTER, LOGIN, REFRESH, REFRESH_REUSE, LOGOUT, ACCOUNT_UPDATE, ACCOUNT_DELETE, CREATE, UPDATE, DELETE, BATCH,
		EXPIRE;

		public String wire() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}

	}

	public AuditEvent(String eventId, UUID tenantId, String operation, String key, Long version, String outcome,
			Instant timestamp, String requestId, String clientAddress) {
		this(eventId, tenantId, operation, key, version, outcome, timestamp, requestId, clientAddress, null);
	}

	public AuditEvent(String eventId, UUID tenantId, String operation, String key, Long version, String outcome,
			Instant timestamp, String requestId, String clientAddress, String apiKey) {
		this(eventId, tenantId, operation, key, version, outcome, timestamp, requestId, clientAddress, apiKey, null);
	}

	/** The same event with {@code signature} (none when {@code null}). */
	public AuditEvent withSignature(String signature) {
		return new AuditEvent(this.eventId, this.tenantId, this.operation, this.key, this.version, this.outcome,
				this.timestamp, this.requestId, this.clientAddress, this.apiKey, signature);
	}

	public AuditEvent {
		if (eventId == null || eventId.isEmpty() || eventId.length() > 200) {
			throw new IllegalArgumentException("event_id is required");
		}
		if (operation == null || timestamp == null || outcome == null) {
			throw new IllegalArgumentException("operation, outcome and timestamp are required");
		}
	}

}
