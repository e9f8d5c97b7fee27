package dev.kvstore.audit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.kvstore.json.ApiJson;

/**
 * Signs the audit events the relay publishes, and checks an event's signature where it
 * arrives from a sender that cannot prove who it is (the worker's {@code POST /audit}:
 * Knative's RabbitMQ source can add no header of its own, but it hands the event on as it
 * was published). The signature is an HMAC-SHA256, under the shared secret
 * {@code AUDIT_SIGNING_KEY}, of the event's JSON without its signature: only a holder of
 * the secret can make an event the check accepts, and a captured one replayed stores
 * nothing new (an event id is stored once). An empty key signs nothing and accepts
 * everything.
 */
public final class AuditSignature {

	/** The key, as a property placeholder for the apps' configuration. */
	public static final String KEY = "${kvstore.audit.signing-key:}";

	private static final String ALGORITHM = "HmacSHA256";

	private final SecretKeySpec key;

	public AuditSignature(String key) {
		this.key = key.isEmpty() ? null : new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), ALGORITHM);
	}

	/** Whether a key is set: events are signed, and only signed ones accepted. */
	public boolean enabled() {
		return this.key != null;
	}

	/** The event with its signature (as it is when no key is set). */
	public AuditEvent sign(AuditEvent event) {
		return enabled() ? event.withSignature(signatureOf(event)) : event;
	}

	/** Whether the event carries the signature the key gives it (always, with no key). */
	public boolean accepts(AuditEvent event) {
		if (!enabled()) {
			return true;
		}
		return event.signature() != null && MessageDigest.isEqual(event.signature().getBytes(StandardCharsets.US_ASCII),
				signatureOf(event).getBytes(StandardCharsets.US_ASCII));
	}

	private String signatureOf(AuditEvent event) {
		try {
			Mac mac = Mac.getInstance(ALGORITHM);
			mac.init(this.key);
			byte[] signed = ApiJson.mapper().writeValueAsBytes(event.withSignature(null));
			return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(signed));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is part of every JDK", ex);
		}
	}

}
