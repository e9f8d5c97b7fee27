package dev.kvstore.functions.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.StringJoiner;

import dev.kvstore.functions.ApiClient.Session;
import dev.kvstore.routing.Route;
import dev.kvstore.routing.RouteTable;

import static dev.kvstore.functions.fuzz.Inputs.quoted;

/**
 * Builds a valid request for a route of the route table (authenticated as one of a few
 * tenants most of the time), then breaks it in one way drawn from {@link Mutation}. All
 * randomness comes from one seeded {@link Random}, so a seed and a count replay a run.
 */
final class HttpFuzzer {

	/**
	 * Keys the fuzzed tenants and the canary tenant all hold, so reads and writes hit
	 * entries.
	 */
	static final List<String> SHARED_KEYS = List.of("k", "plain", "a/b", "user:42/profile", "日本語 ✓", "%", "..", "stats",
			"x y", "{tenant}");

	/** The header name every injection attempt tries to smuggle into the response. */
	static final String INJECTED = "X-Fuzz-Injected";

	/** How one request is broken, and how often. */
	enum Mutation {

		NONE(14), BODY_BYTES(6), BODY_TRUNCATED(5), BODY_ENDS_EARLY(2), BODY_EXTRA_BYTES(2), CHUNKED(3),
		CHUNKED_BROKEN(2), WRONG_TYPES(6), HUGE_NUMBERS(4), DEEP_NESTING(3), INVALID_UTF8_BODY(4), INVALID_UTF8_PATH(3),
		INVALID_UTF8_HEADER(2), BAD_PERCENT(4), PATH_TRAVERSAL(5), ENCODED_SLASHES(3), OVERSIZED_HEADER(2),
		OVERSIZED_BODY(1), HEADER_INJECTION(5), METHOD(4), REQUEST_LINE(3), CONTENT_TYPE(3), AUTH(8), QUERY(5),
		CONDITIONS(4);

		final int weight;

		Mutation(int weight) {
			this.weight = weight;
		}

		/** The body's framing is broken: the server cannot read it to its end. */
		boolean breaksFraming() {
			return this == BODY_ENDS_EARLY || this == CHUNKED_BROKEN;
		}

	}

	/** The tenants requests are made as; a deleted one is replaced by the caller. */
	interface Tenants {

		Session pick(Random random);

		Session other(Session session);

	}

	/** One generated request: its route, how it was broken, and its bytes. */
	record Case(int index, Route route, Mutation mutation, String detail, Session session, String method, String target,
			boolean http09, byte[] bytes) {

		/** The body, as ISO-8859-1 text (what follows the blank line). */
		String bodyText() {
			String text = new String(this.bytes, StandardCharsets.ISO_8859_1);
			int blank = text.indexOf("\r\n\r\n");
			return (blank < 0) ? "" : text.substring(blank + 4);
		}

		/** A HEAD request: its answer has no body. */
		boolean head() {
			return "HEAD".equals(this.method);
		}

		@Override
		public String toString() {
			return "#%d %s %s %s (%s): %s".formatted(this.index, this.route.method(), this.route.path(), this.mutation,
					this.detail,
					Tries.visible(
							new String(this.bytes, 0, Math.min(this.bytes.length, 1500), StandardCharsets.ISO_8859_1))
							+ ((this.bytes.length > 1500) ? "... (" + this.bytes.length + " bytes)" : ""));
		}

	}

	private static final int TOTAL_WEIGHT = Arrays.stream(Mutation.values()).mapToInt((m) -> m.weight).sum();

	private final Random random;

	private final Tenants tenants;

	private final int maxBody;

	private int index;

	HttpFuzzer(Random random, Tenants tenants, int maxBody) {
		this.random = random;
		this.tenants = tenants;
		this.maxBody = maxBody;
	}

	/**
	 * A request broken in one way of {@link Mutation} (or, as often as NONE weighs, not).
	 */
	Case next() {
		return build(route(), mutation());
	}

	/** A request the way a client of the API would send it. */
	Case nextWellFormed() {
		return build(route(), Mutation.NONE);
	}

	private Route route() {
		return RouteTable.ROUTES.get(this.random.nextInt(RouteTable.ROUTES.size()));
	}

	private Case build(Route route, Mutation mutation) {
		Session session = this.tenants.pick(this.random);
		Request request = base(route, session);
		String detail = mutate(request, mutation, session);
		return new Case(this.index++, route, mutation, detail, session, request.method,
				(request.requestLine != null) ? null : request.target(),
				request.requestLine != null && !request.requestLine.contains("HTTP/"), request.bytes(this.random));
	}

	private Mutation mutation() {
		int pick = this.random.nextInt(TOTAL_WEIGHT);
		for (Mutation mutation : Mutation.values()) {
			pick -= mutation.weight;
			if (pick < 0) {
				return mutation;
			}
		}
		throw new IllegalStateException();
	}

	// ---------------------------------------------------------------- valid requests

	/** A request the way a client of the API would send it. */
	private Request base(Route route, Session session) {
		Request request = new Request();
		request.method = route.method();
		request.path = route.path().replace("{key}", Answers.segment(key()));
		request.query = query(route);
		request.headers.add(new String[] { "Host", "localhost" });
		if (route.access() == Route.Access.BEARER || this.random.nextInt(4) == 0) {
			request.headers.add(new String[] { "Authorization", "Bearer " + session.accessToken() });
		}
		if (this.random.nextInt(3) == 0) {
			request.headers.add(new String[] { "X-Request-ID", "fuzz-" + this.index });
		}
		Map<String, String> fields = fields(route, session);
		if (fields != null) {
			request.fields = fields;
			request.headers.add(new String[] { "Content-Type", "application/json" });
		}
		return request;
	}

	private String key() {
		return this.random.nextBoolean() ? SHARED_KEYS.get(this.random.nextInt(SHARED_KEYS.size()))
				: Inputs.key(this.random);
	}

	private String query(Route route) {
		StringJoiner query = new StringJoiner("&");
		switch (route.function()) {
			case "listKeys" -> {
				if (this.random.nextBoolean()) {
					query.add("page=" + encode(Inputs.pageParameter(this.random)));
				}
				if (this.random.nextBoolean()) {
					query.add("page_size=" + encode(Inputs.pageParameter(this.random)));
				}
				if (this.random.nextInt(3) == 0) {
					query.add("tag_filter=" + encode(this.random.nextBoolean() ? "t:1" : Inputs.text(this.random, 8)));
				}
			}
			case "watchKeys" -> {
				if (this.random.nextBoolean()) {
					query.add("prefix=" + encode(Inputs.text(this.random, 4)));
				}
				if (this.random.nextInt(3) == 0) {
					query.add("values=" + encode(this.random.nextBoolean() ? "true" : Inputs.text(this.random, 4)));
				}
				if (this.random.nextInt(3) == 0) {
					query.add("last_event_id=" + encode(Inputs.text(this.random, 20)));
				}
			}
			case "listAudit" -> {
				if (this.random.nextBoolean()) {
					query.add("limit=" + encode(Inputs.pageParameter(this.random)));
				}
				if (this.random.nextInt(3) == 0) {
					query.add("before=" + encode(Inputs.text(this.random, 20)));
				}
			}
			default -> {
			}
		}
		return query.toString();
	}

	/** The JSON members of the route's body, or {@code null} when it takes none. */
	private Map<String, String> fields(Route route, Session session) {
		Map<String, String> fields = new LinkedHashMap<>();
		switch (route.function()) {
			case "register" -> {
				String name = "fz_" + Inputs.word(this.random, 6, 20);
				fields.put("username", quoted(name));
				fields.put("email", quoted(name + "@example.com"));
				fields.put("password", quoted("Passw0rd" + this.random.nextInt(100)));
			}
			case "login" -> {
				fields.put("username", quoted(session.username()));
				fields.put("password", quoted(this.random.nextBoolean() ? session.password() : "Wrong0ne"));
			}
			case "refresh", "logout" -> fields.put("refresh_token", quoted(
					this.random.nextInt(4) == 0 ? this.tenants.other(session).refreshToken() : session.refreshToken()));
			case "updateProfile" -> {
				fields.put("email", quoted("fz_" + Inputs.word(this.random, 6, 20) + "@example.com"));
				fields.put("current_password", quoted(this.random.nextInt(5) == 0 ? session.password() : "Wrong0ne"));
			}
			case "createKey" -> entry(fields);
			case "createKeys" -> {
				StringJoiner items = new StringJoiner(",", "[", "]");
				for (int i = 1 + this.random.nextInt(3); i > 0; i--) {
					Map<String, String> item = new LinkedHashMap<>();
					entry(item);
					items.add(json(item));
				}
				fields.put("items", items.toString());
			}
			case "updateKey" -> {
				fields.put("value", Inputs.jsonValue(this.random).text());
				if (this.random.nextBoolean()) {
					fields.put("ttl",
							this.random.nextBoolean() ? "null" : Integer.toString(1 + this.random.nextInt(9999)));
				}
				if (this.random.nextInt(3) == 0) {
					fields.put("tags", Inputs.tags(this.random).json());
				}
			}
			default -> {
				return null;
			}
		}
		return fields;
	}

	private void entry(Map<String, String> fields) {
		fields.put("key", quoted(key()));
		fields.put("value", Inputs.jsonValue(this.random).text());
		if (this.random.nextBoolean()) {
			fields.put("ttl", Integer.toString(1 + this.random.nextInt(99999)));
		}
		if (this.random.nextInt(3) == 0) {
			fields.put("tags", Inputs.tags(this.random).json());
		}
	}

	// ---------------------------------------------------------------- mutations

	private static final String[] INVALID_UTF8 = { "\u00C3\u0028", "\u00FF", "\u00FE\u00FF", "\u00ED\u00A0\u0080",
			"\u00C0\u00AF", "\u00E0\u0080\u00AF", "\u00F8\u0088\u0080\u0080\u0080", "\u0080",
			"\u00F4\u0090\u0080\u0080", "\u00E2\u0082" };

	private static final String[] TRAVERSALS = { "..", "../..", "../../../../etc/passwd", "%2e%2e", "%2e%2e%2f%2e%2e",
			"..%2f..%2fauth%2fme", "..%5c..%5c", ".", "%2e", "./.", "..;", "..;x=1", "a/../../auth/me", ";jsessionid=x",
			"%252e%252e%252f", "..%00", "%c0%ae%c0%ae", "....//", "/", "//", "" };

	/** Conditional-request, CORS and API key header values, well-formed and not. */
	private static final String[] CONDITION_VALUES = { "*", "\"x\"", "W/\"x\"", "\"a\", \"b\"", "\"", "W/", ",,,",
			"\"a\" \"b\"", "*, \"a\"", "\"" + "x".repeat(4000) + "\"", "\"t\", ".repeat(200) + "\"t\"", "null",
			"https://app.example", "\"\\u0000\"", "\"1764556800000-0\"", "", "kvs_", "kvs___",
			"kvs_00000000-0000-0000-0000-000000000000_0123456789abcdef_x" };

	private static final String[] BAD_PERCENT = { "%", "%z", "%zz", "%G1", "%1", "%%", "%u002F", "%%32F", "a%", "%-1",
			"%+1", "% 1" };

	private static final String[] METHODS = { "PATCH", "TRACE", "OPTIONS", "HEAD", "CONNECT", "get", "Get", "PROPFIND",
			"G\u00C9T", "POST ", "", "X".repeat(300), "DELETE", "PUT", "POST", "GET" };

	private static final List<String> CONTENT_TYPES = List.of("text/plain", "application/x-www-form-urlencoded",
			"multipart/form-data; boundary=x", "application/json; charset=ISO-8859-1",
			"application/json; charset=UTF-16", "application/xml", "", "json", "application/json, text/html",
			"application/problem+json", "application/json; charset=nope", "application/json; boundary=\"");

	private static final List<String> WILDCARD_CONTENT_TYPES = List.of("*/*", "application/*", "*/json", "text/*");

	/** Breaks the request in the given way; returns a short description of the break. */
	private String mutate(Request request, Mutation mutation, Session session) {
		return switch (mutation) {
			case NONE -> "valid";
			case BODY_BYTES -> {
				byte[] body = request.body();
				int changes = 1 + this.random.nextInt(4);
				for (int i = 0; i < changes && body.length > 0; i++) {
					int at = this.random.nextInt(body.length);
					body = switch (this.random.nextInt(3)) {
						case 0 -> splice(body, at, 1, new byte[] { (byte) this.random.nextInt(256) });
						case 1 -> splice(body, at, 1, new byte[0]);
						default -> splice(body, at, 0, new byte[] { "{}[]\",:\\".getBytes()[this.random.nextInt(8)] });
					};
				}
				request.rawBody = body;
				yield changes + " byte changes";
			}
			case BODY_TRUNCATED -> {
				byte[] body = request.body();
				int cut = (body.length == 0) ? 0 : this.random.nextInt(body.length);
				request.rawBody = Arrays.copyOf(body, cut);
				yield "cut at " + cut + " of " + body.length;
			}
			case BODY_ENDS_EARLY -> {
				byte[] body = request.body();
				request.contentLength = Long.toString(body.length + 1 + this.random.nextInt(1000));
				request.rawBody = Arrays.copyOf(body, Math.max(0, body.length - this.random.nextInt(10)));
				yield "Content-Length " + request.contentLength + ", " + request.rawBody.length + " bytes sent";
			}
			case BODY_EXTRA_BYTES -> {
				byte[] body = request.body();
				int declared = (body.length == 0) ? 0 : this.random.nextInt(body.length);
				request.contentLength = Integer.toString(declared);
				yield "Content-Length " + declared + " of " + body.length;
			}
			case CHUNKED -> {
				request.chunked = true;
				yield "chunked";
			}
			case CHUNKED_BROKEN -> {
				request.chunked = true;
				request.brokenChunks = List
					.of("zz", "-1", "ffffffffffffffffff", "1;" + "x".repeat(9000), "", "0x10", " 5")
					.get(this.random.nextInt(7));
				yield "chunk size "
						+ Tries.visible(request.brokenChunks.substring(0, Math.min(20, request.brokenChunks.length())));
			}
			case WRONG_TYPES -> wrongTypes(request);
			case HUGE_NUMBERS -> {
				List<String> numbers = new ArrayList<>(List.of("1e999999999", "9".repeat(400), "-" + "9".repeat(30),
						"1E-999999", "-0", "0.0000000000000000000001", "9223372036854775808", "1" + "0".repeat(5000),
						"1E2147483647", "1E2147483648", "1e-2147483649", "1E99999999999999999999"));
				String huge = numbers.get(this.random.nextInt(numbers.size()));
				if (request.fields != null && this.random.nextInt(3) > 0) {
					String field = List.of("ttl", "value", "key", "page").get(this.random.nextInt(4));
					request.fields.put(field, huge);
					yield field + " = " + huge.substring(0, Math.min(20, huge.length()));
				}
				request.query = "page=" + huge + "&page_size=" + huge + "&limit=" + huge;
				yield "query numbers " + huge.substring(0, Math.min(20, huge.length()));
			}
			case DEEP_NESTING -> {
				int depth = List.of(64, 65, 100, 1000, 100_000).get(this.random.nextInt(5));
				String open = this.random.nextBoolean() ? "[" : "{\"a\":";
				String close = open.equals("[") ? "]" : "}";
				String value = open.repeat(depth) + "1" + close.repeat(depth);
				if (request.fields == null) {
					request.fields = new LinkedHashMap<>();
				}
				request.fields.put(this.random.nextBoolean() ? "value" : "items", value);
				yield "depth " + depth;
			}
			case INVALID_UTF8_BODY -> {
				byte[] body = request.body();
				byte[] bad = INVALID_UTF8[this.random.nextInt(INVALID_UTF8.length)]
					.getBytes(StandardCharsets.ISO_8859_1);
				int quote = indexOfByte(body, (byte) '"', this.random.nextInt(Math.max(1, body.length)));
				int at = (quote < 0) ? body.length : quote + 1;
				request.rawBody = splice(body, at, 0, bad);
				yield "bytes " + hex(bad) + " at " + at;
			}
			case INVALID_UTF8_PATH -> {
				String bad = INVALID_UTF8[this.random.nextInt(INVALID_UTF8.length)];
				if (this.random.nextBoolean()) {
					request.path = request.path + "/" + bad;
					yield "raw bytes " + hex(bad.getBytes(StandardCharsets.ISO_8859_1));
				}
				request.path = "/api/v1/kv/" + percent(bad.getBytes(StandardCharsets.ISO_8859_1));
				yield "encoded bytes " + hex(bad.getBytes(StandardCharsets.ISO_8859_1));
			}
			case INVALID_UTF8_HEADER -> {
				String bad = INVALID_UTF8[this.random.nextInt(INVALID_UTF8.length)];
				String name = List.of("Authorization", "X-Request-ID", "Content-Type", "Host", "X-Other")
					.get(this.random.nextInt(5));
				request.headers.removeIf((header) -> header[0].equalsIgnoreCase(name));
				request.headers.add(new String[] { name,
						name.equals("Authorization") ? "Bearer " + bad + session.accessToken() : "v" + bad });
				yield name + " with " + hex(bad.getBytes(StandardCharsets.ISO_8859_1));
			}
			case BAD_PERCENT -> {
				String bad = BAD_PERCENT[this.random.nextInt(BAD_PERCENT.length)];
				if (this.random.nextBoolean()) {
					request.path = "/api/v1/kv/" + bad;
					yield "path " + bad;
				}
				request.query = "page=" + bad + "&tag_filter=" + bad + "&" + bad + "=1";
				yield "query " + bad;
			}
			case PATH_TRAVERSAL -> {
				String traversal = TRAVERSALS[this.random.nextInt(TRAVERSALS.length)];
				request.path = switch (this.random.nextInt(3)) {
					case 0 -> "/api/v1/kv/" + traversal;
					case 1 -> "/api/v1/kv/" + traversal + "/exists";
					default -> "/" + traversal + request.path;
				};
				yield traversal;
			}
			case ENCODED_SLASHES -> {
				String key = List
					.of("a%2Fb", "a%2fb", "%2F", "%2F%2F", "a%5Cb", "%5C", "a%252Fb", "stats%2Fcount",
							"%2Fapi%2Fv1%2Fauth%2Fme")
					.get(this.random.nextInt(9));
				request.path = "/api/v1/kv/" + key + List.of("", "/exists", "/ttl").get(this.random.nextInt(3));
				yield key;
			}
			case OVERSIZED_HEADER -> {
				if (this.random.nextBoolean()) {
					int size = 4_000 + this.random.nextInt(70_000);
					request.headers.add(new String[] { "X-Big", "b".repeat(size) });
					yield "one header of " + size;
				}
				int count = 50 + this.random.nextInt(200);
				for (int i = 0; i < count; i++) {
					request.headers.add(new String[] { "X-H" + i, "v" });
				}
				yield count + " headers";
			}
			case OVERSIZED_BODY -> {
				if (this.random.nextInt(4) == 0) {
					byte[] big = new byte[this.maxBody + 1 + this.random.nextInt(100_000)];
					Arrays.fill(big, (byte) 'x');
					big[0] = '"';
					big[big.length - 1] = '"';
					request.fields = (request.fields != null) ? request.fields : new LinkedHashMap<>();
					request.fields.put("value", new String(big, StandardCharsets.ISO_8859_1));
					yield "body over " + this.maxBody;
				}
				request.contentLength = List
					.of("99999999999", Integer.toString(this.maxBody + 1), "9223372036854775807",
							"18446744073709551616")
					.get(this.random.nextInt(4));
				yield "Content-Length " + request.contentLength;
			}
			case HEADER_INJECTION -> headerInjection(request);
			case METHOD -> {
				request.method = METHODS[this.random.nextInt(METHODS.length)];
				yield "method " + Tries.visible(request.method.substring(0, Math.min(10, request.method.length())));
			}
			case REQUEST_LINE -> {
				request.requestLine = switch (this.random.nextInt(8)) {
					case 0 -> request.method + " " + request.target() + " HTTP/1.0";
					case 1 -> request.method + " " + request.target() + " HTTP/2.0";
					case 2 -> request.method + "  " + request.target() + "  HTTP/1.1";
					case 3 -> request.method + " " + request.target();
					case 4 -> request.method + "\t" + request.target() + "\tHTTP/1.1";
					case 5 -> request.method + " http://localhost" + request.target() + " HTTP/1.1";
					case 6 -> request.method + " * HTTP/1.1";
					default -> request.method + " " + request.target() + " HTTP/1.1 extra";
				};
				yield Tries.visible(request.requestLine.substring(0, Math.min(40, request.requestLine.length())));
			}
			case CONDITIONS -> {
				String name = List.of("If-Match", "If-None-Match", "Origin", "X-API-Key", "Last-Event-ID", "Accept")
					.get(this.random.nextInt(6));
				String value = CONDITION_VALUES[this.random.nextInt(CONDITION_VALUES.length)];
				request.headers.add(new String[] { name, value });
				yield name + ": " + Tries.visible(value.substring(0, Math.min(40, value.length())));
			}
			case CONTENT_TYPE -> {
				List<String> types = new ArrayList<>(CONTENT_TYPES);
				types.addAll(WILDCARD_CONTENT_TYPES);
				String type = types.get(this.random.nextInt(types.size()));
				request.headers.removeIf((header) -> header[0].equals("Content-Type"));
				request.headers.add(new String[] { "Content-Type", type });
				if (request.fields == null) {
					request.fields = new LinkedHashMap<>(Map.of("key", "\"k\"", "value", "1"));
				}
				yield type;
			}
			case AUTH -> auth(request, session);
			case QUERY -> {
				request.query = switch (this.random.nextInt(6)) {
					case 0 -> "page=1&page=2&page_size=1&page_size=2";
					case 1 -> "=1&&&=&page";
					case 2 -> "tag_filter=" + encode(Inputs.text(this.random, 30)) + "&limit="
							+ encode(Inputs.text(this.random, 5));
					case 3 -> "page_size=" + "9".repeat(50) + "&before=" + "c".repeat(500);
					case 4 -> "q=" + "x".repeat(4000 + this.random.nextInt(10_000));
					default -> "tenant_id=" + session.tenantId() + "&tenant=*&page=%31";
				};
				yield Tries.visible(request.query.substring(0, Math.min(40, request.query.length())));
			}
		};
	}

	private String wrongTypes(Request request) {
		if (request.fields == null || this.random.nextInt(4) == 0) {
			request.rawBody = List.of("null", "[]", "\"text\"", "1", "true", "[{}]", "{}", " ", "{\"a\":1}{")
				.get(this.random.nextInt(9))
				.getBytes(StandardCharsets.UTF_8);
			request.headers.add(new String[] { "Content-Type", "application/json" });
			return "body " + new String(request.rawBody, StandardCharsets.UTF_8);
		}
		List<String> names = new ArrayList<>(request.fields.keySet());
		names.addAll(List.of("key", "value", "items", "ttl", "tags", "refresh_token", "username"));
		String name = names.get(this.random.nextInt(names.size()));
		String value = List
			.of("1", "-1", "true", "null", "[]", "{}", "\"s\"", "[1,2]", "{\"a\":{}}", "1.5", "\"\"", "[null]",
					"{\"key\":1}")
			.get(this.random.nextInt(13));
		if (this.random.nextInt(5) == 0) {
			request.fields.remove(name);
			return "without " + name;
		}
		request.fields.put(name, value);
		return name + " = " + value;
	}

	private String headerInjection(Request request) {
		String crlf = "\r\n" + INJECTED + ": 1\r\nSet-Cookie: fuzz=1";
		return switch (this.random.nextInt(8)) {
			case 0 -> {
				request.headers.add(new String[] { "X-Request-ID", "a" + crlf });
				yield "CRLF in X-Request-ID";
			}
			case 1 -> {
				request.headers.add(new String[] { "X-Request-ID", "a%0d%0a" + INJECTED + ":%201" });
				yield "encoded CRLF in X-Request-ID";
			}
			case 2 -> {
				request.path = "/api/v1/kv/a%0d%0a" + INJECTED + ":%201%0d%0a";
				yield "encoded CRLF in key";
			}
			case 3 -> {
				request.query = "page=1%0d%0a" + INJECTED + ":%201&tag_filter=a:%0d%0aSet-Cookie:%20fuzz=1";
				yield "encoded CRLF in query";
			}
			case 4 -> {
				request.headers.add(new String[] { "X-Other", "a\r" + INJECTED + ": 1" });
				yield "bare CR in a header";
			}
			case 5 -> {
				request.headers.add(new String[] { "X-Other", "a\n " + INJECTED + ": 1" });
				yield "obs-fold";
			}
			case 6 -> {
				request.headers.add(new String[] { "Transfer-Encoding", "chunked" });
				request.headers.add(new String[] { "Content-Length", "4" });
				yield "Transfer-Encoding and Content-Length";
			}
			default -> {
				request.headers.add(new String[] { "X Fuzz Injected", "1" });
				request.headers.add(new String[] { INJECTED + " ", "1" });
				yield "bad header names";
			}
		};
	}

	private String auth(Request request, Session session) {
		request.headers.removeIf((header) -> header[0].equals("Authorization"));
		String token = session.accessToken();
		String value = switch (this.random.nextInt(12)) {
			case 0 -> null;
			case 1 -> "Bearer " + session.refreshToken();
			case 2 -> "Bearer " + this.tenants.other(session).accessToken();
			case 3 -> "Bearer " + Inputs.tampered(this.random, token);
			case 4 -> "Bearer ";
			case 5 -> "Bearer " + "A".repeat(3000 + this.random.nextInt(10_000));
			case 6 -> "Basic dXNlcjpwYXNz";
			case 7 -> "Bearer " + token.substring(0, token.indexOf('.')) + ".e30.";
			case 8 -> "bearer " + token;
			case 9 -> token;
			case 10 -> "Bearer " + token + ", Bearer " + this.tenants.other(session).accessToken();
			default -> "Bearer " + Inputs.text(this.random, 30).replaceAll("[\\r\\n]", "");
		};
		if (value != null) {
			request.headers.add(new String[] { "Authorization", value });
			if (this.random.nextInt(5) == 0) {
				request.headers
					.add(new String[] { "Authorization", "Bearer " + this.tenants.other(session).accessToken() });
			}
		}
		return (value == null) ? "no Authorization" : Tries.visible(value.substring(0, Math.min(30, value.length())));
	}

	// ---------------------------------------------------------------- helpers

	private static String encode(String text) {
		return Answers.segment(text);
	}

	private static String percent(byte[] bytes) {
		StringBuilder encoded = new StringBuilder();
		for (byte b : bytes) {
			encoded.append('%').append(String.format("%02X", b & 0xff));
		}
		return encoded.toString();
	}

	private static String hex(byte[] bytes) {
		return percent(bytes).replace('%', ' ').strip();
	}

	private static byte[] splice(byte[] bytes, int at, int remove, byte[] insert) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write(bytes, 0, at);
		out.write(insert, 0, insert.length);
		out.write(bytes, Math.min(bytes.length, at + remove), Math.max(0, bytes.length - at - remove));
		return out.toByteArray();
	}

	private static int indexOfByte(byte[] bytes, byte b, int from) {
		for (int i = from; i < bytes.length; i++) {
			if (bytes[i] == b) {
				return i;
			}
		}
		return -1;
	}

	static String json(Map<String, String> fields) {
		StringJoiner json = new StringJoiner(",", "{", "}");
		fields.forEach((name, value) -> json.add(quoted(name) + ":" + value));
		return json.toString();
	}

	/**
	 * A request under construction. Text is ISO-8859-1, one char per byte, so that any
	 * byte can be put anywhere.
	 */
	static final class Request {

		String method;

		String path;

		String query = "";

		/** Replaces the request line built from method, path and query when set. */
		String requestLine;

		final List<String[]> headers = new ArrayList<>();

		/** The body's JSON members ({@code null}: no body), rendered at the end. */
		Map<String, String> fields;

		/** Replaces the rendered body when set. */
		byte[] rawBody;

		/** Replaces the true Content-Length when set. */
		String contentLength;

		boolean chunked;

		/** A chunk size line that is not one, when set. */
		String brokenChunks;

		String target() {
			return this.path + (this.query.isEmpty() ? "" : "?" + this.query);
		}

		byte[] body() {
			if (this.rawBody != null) {
				return this.rawBody;
			}
			return (this.fields != null) ? json(this.fields).getBytes(StandardCharsets.UTF_8) : new byte[0];
		}

		byte[] bytes(Random random) {
			byte[] body = body();
			boolean hasBody = this.fields != null || this.rawBody != null || this.contentLength != null;
			StringBuilder head = new StringBuilder();
			head.append((this.requestLine != null) ? this.requestLine : this.method + " " + target() + " HTTP/1.1")
				.append("\r\n");
			this.headers.forEach((header) -> head.append(header[0]).append(": ").append(header[1]).append("\r\n"));
			if (this.chunked) {
				head.append("Transfer-Encoding: chunked\r\n");
			}
			else if (hasBody) {
				head.append("Content-Length: ")
					.append((this.contentLength != null) ? this.contentLength : Integer.toString(body.length))
					.append("\r\n");
			}
			head.append("Connection: close\r\n\r\n");
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
			out.write(headBytes, 0, headBytes.length);
			if (this.chunked) {
				writeChunks(out, body, random);
			}
			else {
				out.write(body, 0, body.length);
			}
			return out.toByteArray();
		}

		private void writeChunks(ByteArrayOutputStream out, byte[] body, Random random) {
			int at = 0;
			while (at < body.length) {
				int size = Math.min(body.length - at, 1 + random.nextInt(64));
				String sizeLine = (this.brokenChunks != null && at == 0) ? this.brokenChunks
						: Integer.toHexString(size);
				byte[] line = (sizeLine + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
				out.write(line, 0, line.length);
				out.write(body, at, size);
				out.write('\r');
				out.write('\n');
				at += size;
			}
			byte[] last = ((this.brokenChunks != null && body.length == 0) ? this.brokenChunks + "\r\n" : "0\r\n\r\n")
				.getBytes(StandardCharsets.ISO_8859_1);
			out.write(last, 0, last.length);
		}

	}

}
