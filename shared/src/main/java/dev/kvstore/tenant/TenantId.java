package dev.kvstore.tenant;

import java.util.Objects;
import java.util.UUID;

/**
 * A tenant's id: the {@code sub} of its tokens, the hash tag of every Redis key it owns.
 */
public record TenantId(UUID value) {

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

	@Override
	public String toString() {
		return this.value.toString();
	}

}
