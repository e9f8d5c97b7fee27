package dev.kvstore.routing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.kvstore.problem.ApiException;
import dev.kvstore.routing.Route.Access;

/**
 * The API's routes and the matching of a raw request path against them. Variables match
 * one raw segment, percent-decoded afterwards, so a key may hold {@code /} sent as
 * {@code %2F}. A literal segment wins over a variable: {@code /api/v1/kv/stats/count} is
 * the count, never a key.
 */
public final class RouteTable {

	public static final List<Route> ROUTES = List.of(
			new Route("POST", "/api/v1/auth/register", "register", Access.PUBLIC, 201),
			new Route("POST", "/api/v1/auth/login", "login", Access.PUBLIC, 200),
			new Route("POST", "/api/v1/auth/refresh", "refresh", Access.PUBLIC, 200),
			new Route("POST", "/api/v1/auth/logout", "logout", Access.PUBLIC, 204),
			new Route("GET", "/api/v1/auth/me", "getProfile", Access.BEARER, 200),
			new Route("PUT", "/api/v1/auth/me", "updateProfile", Access.BEARER, 200),
			new Route("DELETE", "/api/v1/auth/me", "deleteAccount", Access.BEARER, 204),
			new Route("POST", "/api/v1/auth/api-keys", "createApiKey", Access.BEARER, 201),
			new Route("GET", "/api/v1/auth/api-keys", "listApiKeys", Access.BEARER, 200),
			new Route("DELETE", "/api/v1/auth/api-keys/{id}", "revokeApiKey", Access.BEARER, 204),
			new Route("POST", "/api/v1/kv", "createKey", Access.BEARER, 201),
			new Route("GET", "/api/v1/kv", "listKeys", Access.BEARER, 200),
			new Route("POST", "/api/v1/kv/batch", "createKeys", Access.BEARER, 201),
			new Route("POST", "/api/v1/kv/batch/get", "getKeys", Access.BEARER, 200),
			new Route("POST", "/api/v1/kv/batch/delete", "deleteKeys", Access.BEARER, 200),
			new Route("GET", "/api/v1/kv/stats/count", "countKeys", Access.BEARER, 200),
			new Route("GET", "/api/v1/kv/{key}", "getKey", Access.BEARER, 200),
			new Route("PUT", "/api/v1/kv/{key}", "updateKey", Access.BEARER, 200),
			new Route("DELETE", "/api/v1/kv/{key}", "deleteKey", Access.BEARER, 200),
			new Route("GET", "/api/v1/kv/{key}/exists", "keyExists", Access.BEARER, 200),
			new Route("GET", "/api/v1/kv/{key}/ttl", "keyTtl", Access.BEARER, 200),
			new Route("GET", "/api/v1/audit", "listAudit", Access.BEARER, 200),
			new Route("GET", "/api/v1/watch", "watchKeys", Access.BEARER, 200, true),
			new Route("GET", "/health", "health", Access.PUBLIC, 200),
			new Route("GET", "/api/v1/health", "healthDetails", Access.PUBLIC, 200),
			new Route("GET", "/api/v1/health/live", "liveness", Access.PUBLIC, 200),
			new Route("GET", "/api/v1/health/ready", "readiness", Access.PUBLIC, 200));

	/** A route with the values of its path variables, decoded. */
	public record Match(Route route, Map<String, String> variables) {
	}

	/** A route's path split once, for matching. */
	private record Template(Route route, List<String> segments, long variables) {

		Template(Route route) {
			this(route, route.segments(), route.segments().stream().filter(RouteTable::isVariable).count());
		}

	}

	private static final List<Template> TEMPLATES = ROUTES.stream().map(Template::new).toList();

	private RouteTable() {
	}

	/**
	 * The route for a method and raw (still percent-encoded) path, without query string.
	 * @throws ApiException.Malformed when a segment is {@code .} or {@code ..}
	 * @throws ApiException.NoRoute when no route has that path
	 * @throws ApiException.MethodNotAllowed when routes have the path but not the method
	 */
	public static Match match(String method, String rawPath) {
		String[] segments = rawPath.startsWith("/") ? rawPath.substring(1).split("/", -1) : new String[] { "" };
		for (String segment : segments) {
			if (segment.equals(".") || segment.equals("..")) {
				// What a proxy would make of it is anyone's guess: refuse, never
				// normalise.
				throw new ApiException.Malformed("the path has a dot segment (. or ..); encode it as %2E");
			}
		}
		Template best = null;
		Set<String> allowed = new LinkedHashSet<>();
		for (Template template : TEMPLATES) {
			if (!matches(template.segments(), segments)) {
				continue;
			}
			allowed.add(template.route().method());
			if (template.route().method().equals(method) && (best == null || template.variables() < best.variables())) {
				best = template;
			}
		}
		if (best != null) {
			return new Match(best.route(), decodeVariables(best.segments(), segments));
		}
		if (allowed.isEmpty()) {
			throw new ApiException.NoRoute("no endpoint at this path");
		}
		throw new ApiException.MethodNotAllowed(method + " is not allowed here", String.join(", ", allowed));
	}

	/**
	 * The methods of the routes at a raw path, in the table's order.
	 * @throws ApiException.NoRoute when no route has that path
	 */
	public static Set<String> methodsAt(String rawPath) {
		String[] segments = rawPath.startsWith("/") ? rawPath.substring(1).split("/", -1) : new String[] { "" };
		Set<String> methods = new LinkedHashSet<>();
		for (Template template : TEMPLATES) {
			if (matches(template.segments(), segments)) {
				methods.add(template.route().method());
			}
		}
		if (methods.isEmpty()) {
			throw new ApiException.NoRoute("no endpoint at this path");
		}
		return methods;
	}

	private static boolean matches(List<String> template, String[] segments) {
		if (template.size() != segments.length) {
			return false;
		}
		for (int i = 0; i < segments.length; i++) {
			if (!isVariable(template.get(i)) && !template.get(i).equals(segments[i])) {
				return false;
			}
		}
		return true;
	}

	private static Map<String, String> decodeVariables(List<String> template, String[] segments) {
		Map<String, String> variables = new LinkedHashMap<>();
		for (int i = 0; i < segments.length; i++) {
			String part = template.get(i);
			if (isVariable(part)) {
				variables.put(part.substring(1, part.length() - 1), percentDecode(segments[i]));
			}
		}
		return variables;
	}

	private static boolean isVariable(String segment) {
		return segment.startsWith("{") && segment.endsWith("}");
	}

	/**
	 * Strict RFC 3986 decoding: {@code +} stays {@code +}; bad escapes or bad UTF-8 are a
	 * 400.
	 */
	public static String percentDecode(String text) {
		if (text.indexOf('%') < 0) {
			return text;
		}
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '%') {
				int high = (i + 2 < text.length()) ? Character.digit(text.charAt(i + 1), 16) : -1;
				int low = (high >= 0) ? Character.digit(text.charAt(i + 2), 16) : -1;
				if (low < 0) {
					throw new ApiException.Malformed("the path has an invalid percent-encoding");
				}
				bytes.write(high * 16 + low);
				i += 2;
			}
			else {
				byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
				bytes.write(encoded, 0, encoded.length);
			}
		}
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes.toByteArray()))
				.toString();
		}
		catch (CharacterCodingException ex) {
			throw new ApiException.Malformed("the path is not valid UTF-8 once decoded");
		}
	}

	/** The routes a Lambda serves: all but those that stream. */
	public static List<Route> lambdaRoutes() {
		return ROUTES.stream().filter((route) -> !route.streams()).toList();
	}

	/** Every route's function names, in table order. */
	public static List<String> functions() {
		List<String> names = new ArrayList<>();
		ROUTES.forEach((route) -> names.add(route.function()));
		return names;
	}

}
