package dev.kvstore.functions.dispatch;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import dev.kvstore.problem.ApiException;
import dev.kvstore.routing.RouteTable;

/**
 * Cross-origin access for browser clients (the Fetch standard's CORS protocol), off
 * unless {@code CORS_ALLOWED_ORIGINS} lists origins ({@code *} for any). A preflight
 * {@code OPTIONS} on any route is answered here, without a token; every answer to an
 * allowed origin says so and lets its script read the headers a client acts on.
 * Credentials mode is never allowed: the API's credential is a bearer token the script
 * sends itself, never a cookie, so {@code *} is safe.
 */
@Component
public class Cors {

	static final String ORIGIN = "Origin";

	private static final String ANY = "*";

	private static final String ALLOWED_HEADERS = "Authorization, X-API-Key, Content-Type, If-Match, If-None-Match, "
			+ "Last-Event-ID, " + RequestId.HEADER;

	private static final String EXPOSED_HEADERS = "ETag, " + RequestId.HEADER + ", Retry-After, WWW-Authenticate";

	/** How long a browser may keep a preflight's answer, in seconds. */
	private static final String MAX_AGE = "600";

	private final Set<String> allowedOrigins;

	public Cors(@Value("${kvstore.cors.allowed-origins:}") List<String> allowedOrigins) {
		this.allowedOrigins = allowedOrigins.stream()
			.map(String::strip)
			.filter((origin) -> !origin.isEmpty())
			.collect(Collectors.toUnmodifiableSet());
	}

	boolean enabled() {
		return !this.allowedOrigins.isEmpty();
	}

	/**
	 * Whether the request is a preflight this app answers: CORS on, OPTIONS, an Origin.
	 */
	boolean isPreflight(ApiRequest request) {
		return enabled() && request.method().equals("OPTIONS") && request.header().apply(ORIGIN) != null
				&& request.header().apply("Access-Control-Request-Method") != null;
	}

	/**
	 * The answer to a preflight: 204 with what the route allows, 403 for an origin that
	 * is not allowed, 404 for a path with no route.
	 */
	ApiResponse preflight(ApiRequest request) {
		String origin = request.header().apply(ORIGIN);
		if (!allows(origin)) {
			throw new ApiException.Forbidden("cross-origin requests from " + origin + " are not allowed");
		}
		String methods = String.join(", ", RouteTable.methodsAt(request.rawPath()));
		Map<String, String> headers = new LinkedHashMap<>(8);
		headers.put("Access-Control-Allow-Origin", allowOrigin(origin));
		headers.put("Access-Control-Allow-Methods", methods);
		headers.put("Access-Control-Allow-Headers", ALLOWED_HEADERS);
		headers.put("Access-Control-Max-Age", MAX_AGE);
		headers.put("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
		return new ApiResponse(204, headers, new byte[0]);
	}

	/** The answer, with the CORS headers its origin is due (none when not allowed). */
	ApiResponse answer(ApiRequest request, ApiResponse answer) {
		if (!enabled()) {
			return answer;
		}
		String origin = request.header().apply(ORIGIN);
		Map<String, String> headers = new LinkedHashMap<>(answer.headers());
		headers.putIfAbsent("Vary", "Origin");
		if (origin != null && allows(origin)) {
			headers.put("Access-Control-Allow-Origin", allowOrigin(origin));
			headers.put("Access-Control-Expose-Headers", EXPOSED_HEADERS);
		}
		return new ApiResponse(answer.status(), headers, answer.body());
	}

	private boolean allows(String origin) {
		return this.allowedOrigins.contains(ANY) || this.allowedOrigins.contains(origin);
	}

	private String allowOrigin(String origin) {
		return this.allowedOrigins.contains(ANY) ? ANY : origin;
	}

}
