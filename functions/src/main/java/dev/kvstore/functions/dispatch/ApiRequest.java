package dev.kvstore.functions.dispatch;

import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import reactor.core.publisher.Mono;

/**
 * A request as any edge sees it.
 *
 * @param method the HTTP method, upper case
 * @param rawPath the path as sent, still percent-encoded, without the query
 * @param query decodes the query parameters, every value of each; called only by routes
 * that read them, inside the dispatcher, so a malformed query is answered like any other
 * bad input
 * @param header a header by name, case-insensitive, or {@code null}
 * @param body the body, refused (413) as soon as it is known to pass the limit given,
 * before more of it is read; called only by routes that take one, with the route's limit
 * @param requestId the request's id, which the edge chose ({@link RequestId}) and echoes
 * @param clientAddress the client's address as the edge saw it
 */
public record ApiRequest(String method, String rawPath, Supplier<Map<String, List<String>>> query,
		UnaryOperator<String> header, IntFunction<Mono<byte[]>> body, String requestId, String clientAddress) {
}
