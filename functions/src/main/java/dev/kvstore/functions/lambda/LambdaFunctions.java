package dev.kvstore.functions.lambda;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.kvstore.functions.dispatch.ApiRequest;
import dev.kvstore.functions.dispatch.ApiResponse;
import dev.kvstore.functions.dispatch.Dispatcher;
import dev.kvstore.functions.dispatch.QueryString;
import dev.kvstore.functions.dispatch.RequestId;
import dev.kvstore.problem.ApiException;

/**
 * The functions the Lambda runtime calls through Spring Cloud Function's
 * {@code FunctionInvoker}: {@code httpApi} for API Gateway HTTP API events (payload 2.0),
 * {@code restApi} for REST API proxy events (payload 1.0). Both hand the request to the
 * {@link Dispatcher}, so they answer exactly as the HTTP edge does, problems included;
 * nothing escapes to the runtime. A Lambda serves only the endpoint named by
 * KVSTORE_FUNCTION (each Lambda is one endpoint; any other path gets 404).
 */
@Configuration(proxyBeanMethods = false)
public class LambdaFunctions {

	@Bean
	public Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> httpApi(Dispatcher dispatcher,
			@Value("${kvstore.lambda.function:}") String only) {
		return (event) -> {
			var http = (event.getRequestContext() != null) ? event.getRequestContext().getHttp() : null;
			UnaryOperator<String> headers = headers(event.getHeaders());
			String requestId = RequestId.choose(headers.apply(RequestId.HEADER));
			ApiRequest request = new ApiRequest((http != null) ? http.getMethod() : "GET",
					(event.getRawPath() != null) ? event.getRawPath() : "/",
					() -> QueryString.parse(event.getRawQueryString()), headers,
					(maxBody) -> body(event.getBody(), event.getIsBase64Encoded(), maxBody), requestId,
					(http != null) ? http.getSourceIp() : null);
			ApiResponse response = answer(dispatcher, request, only);
			return APIGatewayV2HTTPResponse.builder()
				.withStatusCode(response.status())
				.withHeaders(response.headers())
				.withBody(new String(response.body(), StandardCharsets.UTF_8))
				.withIsBase64Encoded(false)
				.build();
		};
	}

	@Bean
	public Function<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> restApi(Dispatcher dispatcher,
			@Value("${kvstore.lambda.function:}") String only) {
		return (event) -> {
			var context = event.getRequestContext();
			UnaryOperator<String> headers = headers(event.getHeaders());
			String requestId = RequestId.choose(headers.apply(RequestId.HEADER));
			ApiRequest request = new ApiRequest(event.getHttpMethod(), encodePath(event.getPath()),
					() -> query(event.getMultiValueQueryStringParameters()), headers,
					(maxBody) -> body(event.getBody(), Boolean.TRUE.equals(event.getIsBase64Encoded()), maxBody),
					requestId,
					(context != null && context.getIdentity() != null) ? context.getIdentity().getSourceIp() : null);
			ApiResponse response = answer(dispatcher, request, only);
			return new APIGatewayProxyResponseEvent().withStatusCode(response.status())
				.withHeaders(response.headers())
				.withBody(new String(response.body(), StandardCharsets.UTF_8))
				.withIsBase64Encoded(false);
		};
	}

	/**
	 * The dispatcher's answer, waited for: one request per Lambda environment, on the
	 * runtime's own thread, never an event loop. It carries the request's id.
	 */
	private static ApiResponse answer(Dispatcher dispatcher, ApiRequest request, String only) {
		ApiResponse response = dispatcher.dispatch(request, only).block();
		response.headers().put(RequestId.HEADER, request.requestId());
		return response;
	}

	private static UnaryOperator<String> headers(Map<String, String> headers) {
		Map<String, String> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		if (headers != null) {
			byName.putAll(headers);
		}
		return byName::get;
	}

	/**
	 * The body, decoded when API Gateway base64-encoded it, and capped at the route's
	 * limit like the HTTP edge's.
	 */
	private static Mono<byte[]> body(String body, boolean base64, int maxBody) {
		return Mono.fromSupplier(() -> {
			if (body == null) {
				return new byte[0];
			}
			if (body.length() > maxBody * 4L / 3 + 4) {
				throw ApiException.TooLarge.requestBody(maxBody);
			}
			byte[] bytes;
			try {
				bytes = base64 ? Base64.getDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
			}
			catch (IllegalArgumentException ex) {
				throw new ApiException.Malformed("the request body is not valid base64");
			}
			if (bytes.length > maxBody) {
				throw ApiException.TooLarge.requestBody(maxBody);
			}
			return bytes;
		});
	}

	/** REST API events carry the path decoded; encode it again, segment by segment. */
	private static String encodePath(String path) {
		if (path == null || path.isEmpty()) {
			return "/";
		}
		StringBuilder encoded = new StringBuilder();
		for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
			char c = (char) (b & 0xff);
			if (c == '/' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
					|| c == '_' || c == '.' || c == '~') {
				encoded.append(c);
			}
			else {
				encoded.append('%').append(String.format("%02X", b & 0xff));
			}
		}
		return encoded.toString();
	}

	private static Map<String, List<String>> query(Map<String, List<String>> parameters) {
		Map<String, List<String>> query = new LinkedHashMap<>();
		if (parameters != null) {
			parameters.forEach((name, values) -> query.put(name, new ArrayList<>(values)));
		}
		return query;
	}

}
