package dev.kvstore.tenant;

import java.util.Objects;
import java.util.UUID;

import org.springframework.messaging.Message;

/**
 * A tenant's id: the {@code sub} of its tokens, the hash tag of every Redis key it owns.
 */
public record TenantId(UUID value) {

	/**
	 * The message header that carries the caller's tenant from the dispatcher to a
	 * function.
	 */
	public static final String HEADER = "kvstore_tenant";

	/** Stands for "no tenant": audit events of a login attempt on an unknown username. */
	public static final TenantId NONE = new TenantId(new UUID(0, 0));

	public TenantId {
		Objects.requireNonNull(value, "value");
	}

	public static TenantId random() {
		return new TenantId(UUID.randomUUID());
	}

	public static TenantId parse(String text) {
		return new TenantId(UUID.fromString(text));
	}

	/** The tenant the dispatcher put on a function's input message. */
	public static TenantId of(Message<?> message) {
		TenantId tenant = message.getHeaders().get(HEADER, TenantId.class);
		if (tenant == null) {
			throw new IllegalStateException("no tenant on the message: only the dispatcher may call this function");
		}
		return tenant;
	}

	@Override
	public String toString() {
		return this.value.toString();
	}

}
