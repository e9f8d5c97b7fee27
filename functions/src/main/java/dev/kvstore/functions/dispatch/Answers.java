package dev.kvstore.functions.dispatch;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.json.JsonMapper;

import dev.kvstore.json.ApiJson;
import dev.kvstore.kv.Entry;
import dev.kvstore.kv.Preconditions;
import dev.kvstore.kv.Responses.ChangeStream;
import dev.kvstore.problem.ApiException;
import dev.kvstore.problem.Problem;
import dev.kvstore.redis.StoreFailures;
import dev.kvstore.routing.Route;

/**
 * Writes answers: a function's result as JSON with its route's status, or any failure as
 * problem+json (RFC 9457) with the status, headers and words a client can act on. A
 * failure that is not the client's is logged and answered as a plain 500, never with its
 * details.
 */
public final class Answers {

	private static final Logger logger = LoggerFactory.getLogger(Answers.class);

	private static final JsonMapper json = ApiJson.mapper();

	private static final String ETAG = "ETag";

	private Answers() {
	}

	/**
	 * An answer about one entry carries its {@code ETag}; a read whose {@code If-Match}
	 * does not name it is 412, one whose {@code If-None-Match} names it is 304 without a
	 * body, and a {@code PUT} with {@code If-None-Match: *} created the entry (201).
	 */
	static ApiResponse success(Route route, Object result, Preconditions conditions) {
		Map<String, String> headers = new LinkedHashMap<>(4);
		if (route.status() == 204 || result == null) {
			return new ApiResponse(route.status(), headers, new byte[0]);
		}
		if (result instanceof ChangeStream changes) {
			headers.put(ApiResponse.CONTENT_TYPE, ApiResponse.EVENT_STREAM);
			headers.put("Cache-Control", "no-store");
			// Proxies that buffer answers (nginx) send the events on at once.
			headers.put("X-Accel-Buffering", "no");
			return new ApiResponse(route.status(), headers, new byte[0], EventStream.of(changes));
		}
		int status = route.status();
		if (result instanceof Entry entry) {
			headers.put(ETAG, entry.etagHeader());
			if (route.method().equals("GET") && conditions.refusesRead(entry.etag())) {
				throw new ApiException.PreconditionFailed("the key's entity tag is not one If-Match names");
			}
			if (route.method().equals("GET") && conditions.notModified(entry.etag())) {
				return new ApiResponse(304, headers, new byte[0]);
			}
			if (route.method().equals("PUT") && conditions.createOnly()) {
				status = 201;
			}
		}
		headers.put(ApiResponse.CONTENT_TYPE, ApiResponse.JSON);
		return new ApiResponse(status, headers, json.writeValueAsBytes(result));
	}

	/**
	 * The problem+json answer for a failure an edge meets outside the dispatcher.
	 * @param request the request's id, for the log line of a failure of ours
	 */
	public static ApiResponse failure(Throwable failure, String request) {
		return failure(failure, false, request);
	}

	/**
	 * @param sentCredentials whether the request carried an Authorization header (a 401
	 * then says the token is invalid)
	 * @param request the request's id, for the log line of a failure of ours
	 */
	static ApiResponse failure(Throwable ex, boolean sentCredentials, String request) {
		ApiException known = translate(ex);
		Problem problem;
		if (known != null) {
			problem = Problem.of(known);
		}
		else {
			logger.atError()
				.setCause(ex)
				.addKeyValue("request_id", request)
				.log("unexpected failure serving a request");
			problem = Problem.internal();
		}
		Map<String, String> headers = new LinkedHashMap<>(4);
		headers.put(ApiResponse.CONTENT_TYPE, Problem.MEDIA_TYPE);
		switch (known) {
			case ApiException.Unauthorized unauthorized ->
				headers.put("WWW-Authenticate", sentCredentials ? "Bearer error=\"invalid_token\"" : "Bearer");
			case ApiException.MethodNotAllowed notAllowed -> headers.put("Allow", notAllowed.allow());
			// The rest of the body may still come: the connection cannot serve another
			// request.
			case ApiException.TimedOut timedOut -> headers.put("Connection", "close");
			case null, default -> {
			}
		}
		if (known instanceof ApiException.Retryable retryable) {
			headers.put("Retry-After", Long.toString(retryable.retryAfterSeconds()));
		}
		return new ApiResponse(problem.status(), headers, json.writeValueAsBytes(problem));
	}

	/**
	 * The client-facing meaning of a failure, or {@code null} when it is a fault of ours.
	 */
	private static ApiException translate(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof ApiException known) {
				return known;
			}
		}
		return switch (ex) {
			case StreamConstraintsException tooDeep -> new ApiException.Malformed(
					"the request body is nested deeper than " + ApiJson.MAX_NESTING_DEPTH + " levels");
			case InputCoercionException outOfRange ->
				new ApiException.Invalid("a number in the request is out of range");
			case StreamReadException notJson -> new ApiException.Malformed("the request body is not valid JSON");
			case DatabindException wrongShape -> new ApiException.Invalid(describe(wrongShape));
			default -> StoreFailures.unavailable(ex);
		};
	}

	private static String describe(DatabindException ex) {
		String field = ex.getPath()
			.stream()
			.map((ref) -> (ref.getPropertyName() != null) ? ref.getPropertyName() : "[" + ref.getIndex() + "]")
			.collect(Collectors.joining("."));
		return field.isEmpty() ? "the request does not have the expected fields and types"
				: "field " + field + " is missing or has the wrong type";
	}

}
