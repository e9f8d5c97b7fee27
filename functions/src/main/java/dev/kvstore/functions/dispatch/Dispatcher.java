package dev.kvstore.functions.dispatch;

import java.lang.reflect.Type;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.slf4j.MDC;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.cloud.function.context.catalog.SimpleFunctionRegistry.FunctionInvocationWrapper;
import org.springframework.core.ResolvableType;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.stereotype.Component;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.kvstore.audit.RequestContext;
import dev.kvstore.auth.Tokens;
import dev.kvstore.json.ApiJson;
import dev.kvstore.problem.ApiException;
import dev.kvstore.problem.Problem;
import dev.kvstore.redis.StoreFailures;
import dev.kvstore.routing.Route;
import dev.kvstore.routing.RouteTable;
import dev.kvstore.tenant.TenantId;

/**
 * Serves one {@link ApiRequest}: matches the route table, verifies the bearer token (the
 * tenant comes from it and from nowhere else), builds the function's input from the body,
 * the query and the path, calls the function bean from the {@link FunctionCatalog}, and
 * writes its result as JSON or any failure as problem+json. It never throws.
 */
@Component
public class Dispatcher {

	private static final Log logger = LogFactory.getLog(Dispatcher.class);

	private static final JsonMapper json = ApiJson.mapper();

	private static final String BEARER_PREFIX = "bearer ";

	/** Echoed on every answer and carried into the audit events of the request. */
	public static final String REQUEST_ID = "X-Request-ID";

	private static final Pattern REQUEST_ID_PATTERN = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

	private final Map<String, Target> targets = new HashMap<>();

	private final Tokens tokens;

	private final RequestObserver observer;

	public Dispatcher(FunctionCatalog catalog, Tokens tokens, RequestObserver observer) {
		this.tokens = tokens;
		this.observer = observer;
		for (Route route : RouteTable.ROUTES) {
			FunctionInvocationWrapper function = catalog.lookup(route.function());
			if (function == null) {
				throw new IllegalStateException("no function bean named " + route.function());
			}
			this.targets.put(route.function(), Target.of(function));
		}
	}

	public ApiResponse dispatch(ApiRequest request) {
		return dispatch(request, "");
	}

	/**
	 * Serves the request only if its route's function is {@code onlyFunction} (any when
	 * empty): a Lambda that is one endpoint answers 404 for every other.
	 */
	public ApiResponse dispatch(ApiRequest request, String onlyFunction) {
		long start = System.nanoTime();
		RequestContext context = new RequestContext(requestId(request), request.clientAddress());
		MDC.put(RequestObserver.REQUEST_ID, context.requestId());
		this.observer.started();
		Served served = null;
		try {
			served = context.run(() -> serve(request, onlyFunction));
			served.response().headers().put(REQUEST_ID, context.requestId());
			return served.response();
		}
		finally {
			this.observer.finished(request.method(), (served != null) ? served.route() : null,
					(served != null) ? served.response().status() : 500, System.nanoTime() - start);
			MDC.remove(RequestObserver.REQUEST_ID);
			MDC.remove(RequestObserver.TENANT_ID);
		}
	}

	/** An answer and the route it came from ({@code null} when no route matched). */
	private record Served(Route route, ApiResponse response) {
	}

	private Served serve(ApiRequest request, String onlyFunction) {
		Route route = null;
		try {
			RouteTable.Match match = RouteTable.match(request.method(), request.rawPath());
			if (!onlyFunction.isEmpty() && !match.route().function().equals(onlyFunction)) {
				throw new ApiException.NoRoute("this function serves " + onlyFunction + " only");
			}
			route = match.route();
			TenantId tenant = (route.access() == Route.Access.BEARER) ? authenticate(request) : null;
			if (tenant != null) {
				MDC.put(RequestObserver.TENANT_ID, tenant.toString());
			}
			Target target = this.targets.get(route.function());
			Object result = target.invoke(tenant, () -> input(target.payloadType(), match, request));
			return new Served(route,
					success(route, (result instanceof Message<?> message) ? message.getPayload() : result));
		}
		catch (RuntimeException ex) {
			return new Served(route, failure(route, request, ex));
		}
	}

	private static String requestId(ApiRequest request) {
		return requestId(request.header().apply(REQUEST_ID));
	}

	/** The client's X-Request-ID when it is short and plain, or a new one. */
	public static String requestId(String given) {
		return (given != null && REQUEST_ID_PATTERN.matcher(given).matches()) ? given : UUID.randomUUID().toString();
	}

	/** The problem+json answer for a failure found before dispatching (at an edge). */
	public static ApiResponse problem(ApiException failure) {
		return failure(null, null, failure);
	}

	private TenantId authenticate(ApiRequest request) {
		String authorization = request.header().apply("Authorization");
		if (authorization == null || !authorization.regionMatches(true, 0, BEARER_PREFIX, 0, BEARER_PREFIX.length())) {
			throw new ApiException.Unauthorized("a bearer access token is required");
		}
		return this.tokens.verifyAccess(authorization.substring(BEARER_PREFIX.length()).trim());
	}

	private static Object input(Class<?> type, RouteTable.Match match, ApiRequest request) {
		ObjectNode fields = takesBody(match.route()) ? body(request.body().get()) : query(request.query().get());
		match.variables().forEach(fields::put);
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

	private static ApiResponse success(Route route, Object result) {
		Map<String, String> headers = new LinkedHashMap<>();
		if (route.status() == 204 || result == null) {
			return new ApiResponse(route.status(), headers, new byte[0]);
		}
		headers.put(ApiResponse.CONTENT_TYPE, ApiResponse.JSON);
		return new ApiResponse(route.status(), headers, json.writeValueAsBytes(result));
	}

	private static ApiResponse failure(Route route, ApiRequest request, RuntimeException ex) {
		ApiException known = translate(ex);
		Problem problem;
		if (known != null) {
			problem = Problem.of(known);
		}
		else {
			logger.error("unexpected failure serving " + ((route != null) ? route.function() : "a request"), ex);
			problem = Problem.internal();
		}
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put(ApiResponse.CONTENT_TYPE, Problem.MEDIA_TYPE);
		switch (known) {
			case ApiException.Unauthorized unauthorized ->
				headers.put("WWW-Authenticate", (request != null && request.header().apply("Authorization") != null)
						? "Bearer error=\"invalid_token\"" : "Bearer");
			case ApiException.MethodNotAllowed notAllowed -> headers.put("Allow", notAllowed.allow());
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

	/** A function bean and how to feed it. */
	private record Target(FunctionInvocationWrapper function, Shape shape, Class<?> payloadType) {

		enum Shape {

			/** A Supplier. */
			NONE,
			/** Takes the caller's tenant and nothing else. */
			TENANT,
			/** Takes a Message of the request, with the tenant in a header. */
			MESSAGE,
			/** Takes the request itself (public routes). */
			PAYLOAD

		}

		static Target of(FunctionInvocationWrapper function) {
			if (function.isSupplier()) {
				return new Target(function, Shape.NONE, Void.class);
			}
			Type inputType = function.getInputType();
			ResolvableType input = ResolvableType.forType(inputType);
			if (input.toClass() == TenantId.class) {
				return new Target(function, Shape.TENANT, TenantId.class);
			}
			if (Message.class.isAssignableFrom(input.toClass())) {
				return new Target(function, Shape.MESSAGE, input.getGeneric(0).toClass());
			}
			return new Target(function, Shape.PAYLOAD, input.toClass());
		}

		Object invoke(TenantId tenant, Supplier<Object> payload) {
			return switch (this.shape) {
				case NONE -> this.function.get();
				case TENANT -> this.function.apply(tenant);
				case MESSAGE -> this.function
					.apply(MessageBuilder.withPayload(payload.get()).setHeader(TenantId.HEADER, tenant).build());
				case PAYLOAD -> this.function.apply(payload.get());
			};
		}

	}

}
