package dev.kvstore.functions.dispatch;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The X-Request-ID of a request: the client's when it is short and plain, else a new one.
 * Each edge chooses it once, when the request arrives, echoes it on the answer and hands
 * it to the dispatcher in the {@link ApiRequest}; from there it reaches the log line and
 * the audit events.
 */
public final class RequestId {

	public static final String HEADER = "X-Request-ID";

	private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

	private RequestId() {
	}

	public static String choose(String given) {
		return (given != null && PLAIN.matcher(given).matches()) ? given : UUID.randomUUID().toString();
	}

}
