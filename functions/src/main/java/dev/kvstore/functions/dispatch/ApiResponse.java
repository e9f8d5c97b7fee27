package dev.kvstore.functions.dispatch;

import java.util.Map;

/**
 * An answer as any edge writes it: a status, headers (Content-Type among them) and a
 * body.
 */
public record ApiResponse(int status, Map<String, String> headers, byte[] body) {

	public static final String CONTENT_TYPE = "Content-Type";

	public static final String JSON = "application/json";

}
