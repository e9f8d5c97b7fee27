package dev.kvstore.audit;

import java.util.function.Supplier;

/**
 * Who is asking: the request id and client address an edge saw, for the audit events the
 * request causes. The dispatcher binds it around a function call; the repositories read
 * it when they write an event, so that function beans need not pass it along.
 *
 * @param requestId the request's id, never {@code null} inside a request
 * @param clientAddress the client's address, or {@code ""} when unknown
 */
public record RequestContext(String requestId, String clientAddress) {

	/** Outside any request (a scheduled cleanup, a test): no request id, no client. */
	public static final RequestContext NONE = new RequestContext("", "");

	private static final ThreadLocal<RequestContext> current = new ThreadLocal<>();

	public RequestContext {
		requestId = (requestId != null) ? requestId : "";
		clientAddress = (clientAddress != null) ? clientAddress : "";
	}

	public static RequestContext current() {
		RequestContext context = current.get();
		return (context != null) ? context : NONE;
	}

	/** Runs {@code work} with this context as the current one. */
	public <T> T run(Supplier<T> work) {
		RequestContext outer = current.get();
		current.set(this);
		try {
			return work.get();
		}
		finally {
			if (outer != null) {
				current.set(outer);
			}
			else {
				current.remove();
			}
		}
	}

}
