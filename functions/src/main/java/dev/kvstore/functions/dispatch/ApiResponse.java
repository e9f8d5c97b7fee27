package dev.kvstore.functions.dispatch;

import java.util.Map;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

/**
 * An answer as any edge writes it: a status, headers (Content-Type among them) and a
 * body; or, from a route that streams, the parts of a body that stays open, each to be
 * sent as soon as it comes (only the HTTP edge serves those routes).
 */
public record ApiResponse(int status, Map<String, String> headers, byte[] body, @Nullable Flux<byte[]> stream) {

	public static final String CONTENT_TYPE = "Content-Type";

	public static final String JSON = "application/json";

	/** What a route that streams answers with (Server-Sent Events). */
	public static final String EVENT_STREAM = "text/event-stream";

	public ApiResponse(int status, Map<String, String> headers, byte[] body) {
		this(status, headers, body, null);
	}

}
