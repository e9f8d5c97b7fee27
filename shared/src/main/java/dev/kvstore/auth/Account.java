package dev.kvstore.auth;

import java.time.Instant;

import dev.kvstore.tenant.TenantId;

/**
 * A user, who is also a tenant. The password hash never leaves the server.
 */
public record Account(TenantId tenant, String username, String email, String passwordHash, boolean active,
		Instant createdAt) {

	@Override
	public String toString() {
		return "Account[tenant=" + this.tenant + ", username=" + this.username + ", active=" + this.active + "]";
	}

}
