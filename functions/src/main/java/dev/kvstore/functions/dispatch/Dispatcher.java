package dev.kvstore.functions.dispatch;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.cloud.function.context.catalog.SimpleFunctionRegistry.FunctionInvocationWrapper;
import org.springframework.stereotype.Component;

import dev.kvstore.auth.ApiKeys;
import dev.kvstore.auth.Tokens;
import dev.kvstore.json.ApiJson;
import dev.kvstore.kv.KvSettings;
import dev.kvstore.kv.Preconditions;
import dev.kvstore.problem.ApiException;
import dev.kvstore.routing.Route;
import dev.kvstore.routing.RouteTable;
import dev.kvstore.tenant.Caller;
import dev.kvstore.tenant.TenantId;

/**
 * Serves one {@link ApiRequest}: matches the route table, verifies the bearer token (the
 * tenant comes from it and from nowhere else), builds the function's input from the body,
 * the query and the path, calls the function bean found in the {@link FunctionCatalog},
 * and answers through {@link Answers}. The answer's {@code Mono} never fails, and nothing
 * in it blocks the thread that subscribes (see {@link Endpoint}).
 */
@Component
public class Dispatcher {

	private static final JsonMapper json = ApiJson.mapper();

	/** The routes an API key may call: the key routes and the watch of keys. */
	private static final String KEY_ROUTES = "/api/v1/kv";

	private static final String WATCH_ROUTE = "/api/v1/watch";

	private static final Mono<byte[]> NO_BODY = Mono.just(new byte[0]);

	/**
	 * The most an account route's body needs: credentials or a refresh token, never a
	 * value. Those routes are public, so their bodies are refused early and small.
	 */
	public static final int ACCOUNT_BODY_LIMIT = 8 * 1024;

	private static final String ACCOUNT_ROUTES = "/api/v1/auth/";

	/**
	 * The route whose answers are about one entry: its reads and writes take
	 * {@code If-Match} and {@code If-None-Match}; every other route ignores them.
	 */
	private static final String ENTRY_ROUTE = "/api/v1/kv/{key}";

	private final FunctionCatalog catalog;

	/** By function name, looked up on first use (see the constructor). */
	private final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();

	private final Tokens tokens;

	private final RequestObserver observer;

	private final int maxRequestSize;

	private final Cors cors;

	private final ApiKeys apiKeys;

	/**
	 * Checks that every route has its function bean, but looks each up in the catalog
	 * only when its route is first called: a lookup costs the catalog tens of
	 * milliseconds (types, converters, a wrapper), all of them together were a sixth of
	 * the start-up, and a Lambda serves one route only.
	 */
	public Dispatcher(FunctionCatalog catalog, Tokens tokens, ApiKeys apiKeys, RequestObserver observer,
			KvSettings settings, Cors cors) {
		this.catalog = catalog;
		this.apiKeys = apiKeys;
		this.cors = cors;
		this.tokens = tokens;
		this.observer = observer;
		this.maxRequestSize = settings.maxRequestSize();
		Set<String> beans = catalog.getNames(null);
		for (Route route : RouteTable.ROUTES) {
			if (!beans.contains(route.function())) {
				throw new IllegalStateException("no function bean named " + route.function());
			}
		}
	}

	/**
	 * Looks up now the function of every route, or only {@code onlyFunction}'s when it is
	 * not empty: before a snapshot, so that a restored environment does not.
	 */
	public void prepare(String onlyFunction) {
		for (Route route : RouteTable.ROUTES) {
			if (onlyFunction.isEmpty() || route.function().equals(onlyFunction)) {
				endpoint(route.function());
			}
		}
	}

	/** Serves a request of the HTTP edge: any route. */
	public Mono<ApiResponse> dispatch(ApiRequest request) {
		return dispatch(request, "", true);
	}

	/**
	 * Serves a request of a Lambda edge, only if its route's function is
	 * {@code onlyFunction} (any when empty): a Lambda that is one endpoint answers 404
	 * for every other, and every Lambda for a route that streams.
	 */
	public Mono<ApiResponse> dispatch(ApiRequest request, String onlyFunction) {
		return dispatch(request, onlyFunction, false);
	}

	private Mono<ApiResponse> dispatch(ApiRequest request, String onlyFunction, boolean streams) {
		RequestObserver.Observation observation = this.observer.start(request);
		Caller caller = new Caller(null, request.requestId(), request.clientAddress());
		Mono<ApiResponse> answer;
		try {
			if (this.cors.isPreflight(request)) {
				return answered(Mono.fromSupplier(() -> this.cors.preflight(request)), request, observation);
			}
			RouteTable.Match match = RouteTable.match(request.method(), request.rawPath());
			if (!onlyFunction.isEmpty() && !match.route().function().equals(onlyFunction)) {
				throw new ApiException.NoRoute("this function serves " + onlyFunction + " only");
			}
			if (match.route().streams() && !streams) {
				throw new ApiException.NoRoute(
						"an event stream is served by the HTTP service only: a Lambda answers " + "once, whole");
			}
			Route route = match.route();
			observation.route(route);
			String apiKey = (route.access() == Route.Access.BEARER) ? Credentials.apiKey(request) : null;
			if (apiKey != null) {
				answer = withApiKey(apiKey, match, request, caller, observation);
			}
			else {
				if (route.access() == Route.Access.BEARER) {
					caller = caller.as(authenticate(request));
					observation.tenant(caller.tenant());
				}
				answer = call(endpoint(route.function()), match, request, caller);
			}
		}
		catch (RuntimeException ex) {
			answer = Mono.error(ex);
		}
		return answered(answer, request, observation);
	}

	/** The answer, or the failure's; with its CORS headers; observed. */
	private Mono<ApiResponse> answered(Mono<ApiResponse> answer, ApiRequest request,
			RequestObserver.Observation observation) {
		return answer.onErrorResume((ex) -> {
			observation.failed(ex);
			return Mono.just(Answers.failure(ex, sentCredentials(request), request.requestId()));
		})
			.map((response) -> this.cors.answer(request, response))
			.doOnNext(observation::answered)
			.doOnCancel(observation::abandoned);
	}

	/** The function's endpoint, looked up in the catalog the first time. */
	private Endpoint endpoint(String function) {
		return this.endpoints.computeIfAbsent(function, this::lookUp);
	}

	private Endpoint lookUp(String function) {
		FunctionInvocationWrapper bean = this.catalog.lookup(function);
		if (bean == null) {
			throw new IllegalStateException("the function catalog has no function " + function);
		}
		return Endpoint.of(bean);
	}

	private Mono<ApiResponse> call(Endpoint endpoint, RouteTable.Match match, ApiRequest request, Caller caller) {
		Route route = match.route();
		Mono<byte[]> body = (endpoint.takesPayload() && takesBody(route)) ? request.body().apply(bodyLimit(route))
				: NO_BODY;
		if (route.streams()) {
			EventStream.requireAccepted(request);
		}
		Preconditions conditions = route.path().equals(ENTRY_ROUTE)
				? Preconditions.parse(request.header().apply("If-Match"), request.header().apply("If-None-Match"))
				: Preconditions.NONE;
		return body
			.flatMap((bytes) -> endpoint.call(caller, conditions,
					() -> input(endpoint.payloadType(), match, request, bytes)))
			.map((result) -> Answers.success(route, result, conditions))
			.switchIfEmpty(Mono.fromSupplier(() -> Answers.success(route, null, conditions)));
	}

	private int bodyLimit(Route route) {
		return route.path().startsWith(ACCOUNT_ROUTES) ? ACCOUNT_BODY_LIMIT : this.maxRequestSize;
	}

	private static boolean sentCredentials(ApiRequest request) {
		return request.header().apply("Authorization") != null
				|| request.header().apply(Credentials.API_KEY_HEADER) != null;
	}

	/**
	 * The route's answer to a request made with an API key, which checking costs a round
	 * trip to Redis. An API key reaches only the key routes; what it may do there, its
	 * grant says, and the repository holds every key and write to it.
	 */
	private Mono<ApiResponse> withApiKey(String apiKey, RouteTable.Match match, ApiRequest request, Caller caller,
			RequestObserver.Observation observation) {
		return this.apiKeys.verify(apiKey).flatMap((key) -> {
			observation.tenant(key.tenant());
			String path = match.route().path();
			if (!path.startsWith(KEY_ROUTES) && !path.equals(WATCH_ROUTE)) {
				throw new ApiException.Forbidden(
						"an API key may only call the key routes (" + KEY_ROUTES + "...) and " + WATCH_ROUTE);
			}
			return call(endpoint(match.route().function()), match, request, caller.as(key.tenant(), key.grant()));
		});
	}

	private TenantId authenticate(ApiRequest request) {
		String bearer = Credentials.bearer(request);
		if (bearer == null) {
			throw new ApiException.Unauthorized("a bearer access token is required");
		}
		return this.tokens.verifyAccess(bearer);
	}

	private static Object input(Class<?> type, RouteTable.Match match, ApiRequest request, byte[] body) {
		ObjectNode fields = takesBody(match.route()) ? body(body) : query(request.query().get());
		match.variables().forEach(fields::put);
		if (match.route().streams()) {
			EventStream.resumePosition(request, fields);
		}
		return json.treeToValue(fields, type);
	}

	private static boolean takesBody(Route route) {
		return route.method().equals("POST") || route.method().equals("PUT");
	}

	private static ObjectNode body(byte[] body) {
		if (body.length == 0) {
			return json.createObjectNode();
		}
		JsonNode tree;
		try {
			tree = json.readTree(body);
		}
		catch (NumberFormatException ex) {
			// BigDecimal refuses exponents beyond an int (1E2147483648) while Jackson
			// reads.
			throw new ApiException.Invalid("a number in the request is out of range");
		}
		if (!(tree instanceof ObjectNode object)) {
			throw new ApiException.Malformed("the request body must be a JSON object");
		}
		if (!ApiJson.isWellFormedText(object)) {
			throw new ApiException.Invalid("the request body holds text that is not valid Unicode (a lone surrogate)");
		}
		return object;
	}

	private static ObjectNode query(Map<String, List<String>> query) {
		ObjectNode fields = json.createObjectNode();
		query.forEach((name, values) -> {
			if (values.size() > 1) {
				throw new ApiException.Invalid("query parameter " + name + " may be given only once");
			}
			fields.put(name, values.getFirst());
		});
		return fields;
	}

}
