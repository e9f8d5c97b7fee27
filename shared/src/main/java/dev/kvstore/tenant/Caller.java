package dev.kvstore.tenant;

import org.jspecify.annotations.Nullable;
import org.springframework.messaging.Message;

/**
 * Who is asking, as the dispatcher saw it: the tenant of the verified access token (none
 * on a public route), the request's id and the client's address. It travels with the
 * request as one explicit object, from the edge to the function bean (on its input
 * message) and on into the repositories and the audit events they write; nothing reads it
 * back from a thread.
 *
 * @param tenant the caller's tenant, or {@code null} before a token has named one
 * @param requestId the request's id, {@code ""} outside any request
 * @param clientAddress the client's address, or {@code ""} when unknown
 * @param grant what the API key the request was made with may do; {@code null} for the
 * account's own token, which may do everything
 */
public record Caller(@Nullable TenantId tenant, String requestId, String clientAddress, @Nullable Grant grant) {

	/** The message header that carries the caller from the dispatcher to a function. */
	public static final String HEADER = "kvstore_caller";

	public Caller {
		requestId = (requestId != null) ? requestId : "";
		clientAddress = (clientAddress != null) ? clientAddress : "";
	}

	public Caller(@Nullable TenantId tenant, String requestId, String clientAddress) {
		this(tenant, requestId, clientAddress, null);
	}

	/** Work of the app's own (a scheduled cleanup, a test): no request, no client. */
	public static Caller system(TenantId tenant) {
		return new Caller(tenant, "", "");
	}

	/** The same request, on behalf of {@code tenant} (which a credential just named). */
	public Caller as(TenantId tenant) {
		return new Caller(tenant, this.requestId, this.clientAddress, null);
	}

	/**
	 * The same request, made with an API key of {@code tenant} that has {@code grant}.
	 */
	public Caller as(TenantId tenant, Grant grant) {
		return new Caller(tenant, this.requestId, this.clientAddress, grant);
	}

	/** The API key's id for audit events, {@code ""} for the account's own token. */
	public String apiKeyId() {
		return (this.grant != null) ? this.grant.apiKeyId() : "";
	}

	/** The tenant, which an authenticated route always has. */
	public TenantId requiredTenant() {
		if (this.tenant == null) {
			throw new IllegalStateException("no tenant: only an authenticated route has one");
		}
		return this.tenant;
	}

	/** The caller the dispatcher put on a function's input message. */
	public static Caller of(Message<?> message) {
		Caller caller = message.getHeaders().get(HEADER, Caller.class);
		if (caller == null) {
			throw new IllegalStateException("no caller on the message: only the dispatcher may call this function");
		}
		return caller;
	}

}
