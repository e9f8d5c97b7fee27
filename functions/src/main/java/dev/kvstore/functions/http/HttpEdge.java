package dev.kvstore.functions.http;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.WebFilter;
import io.netty.channel.EventLoop;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;

import dev.kvstore.functions.dispatch.ApiRequest;
import dev.kvstore.functions.dispatch.ApiResponse;
import dev.kvstore.functions.dispatch.Dispatcher;
import dev.kvstore.functions.dispatch.QueryString;
import dev.kvstore.functions.dispatch.RequestId;
import dev.kvstore.kv.KvSettings;
import dev.kvstore.problem.ApiException;

/**
 * Hands every HTTP request to the {@link Dispatcher} and writes its answer, on Netty's
 * event loops: nothing here blocks. The body is read only for routes that take one and
 * capped while it arrives; the path is passed on raw, so that {@code %2F} inside a key
 * stays part of the key. Spring Cloud Function's own web endpoints are not on the
 * classpath: nothing but the route table, the documentation and the metrics is reachable.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@EnableConfigurationProperties(ClientAddresses.Settings.class)
class HttpEdge {

	/** Where {@link #requestIds()} leaves the request's id for the API route. */
	private static final String REQUEST_ID = HttpEdge.class.getName() + ".requestId";

	private static final byte[] NO_BODY = new byte[0];

	@Bean
	RouterFunction<ServerResponse> api(Dispatcher dispatcher, KvSettings settings,
			ClientAddresses.Settings addressSettings) {
		ClientAddresses addresses = new ClientAddresses(addressSettings);
		int maxBody = settings.maxRequestSize();
		return RouterFunctions.route(RequestPredicates.all(),
				(request) -> dispatcher.dispatch(apiRequest(request, addresses, maxBody))
					.flatMap((answer) -> onConnectionLoop(request, answer))
					.flatMap(HttpEdge::write));
	}

	/**
	 * The answer, handed back to the event loop of its connection when it arrived on
	 * another thread (Lettuce's, a worker's). Reactor Netty 1.3 loses the next request of
	 * a keep-alive connection when it arrives while a response written from another
	 * thread is still completing; written from its own loop, a response completes before
	 * the loop reads on.
	 */
	private static Mono<ApiResponse> onConnectionLoop(ServerRequest request, ApiResponse answer) {
		Object connection = ServerHttpRequestDecorator.getNativeRequest(request.exchange().getRequest());
		if (!(connection instanceof Connection netty) || netty.channel().eventLoop().inEventLoop()) {
			return Mono.just(answer);
		}
		EventLoop loop = netty.channel().eventLoop();
		return Mono.create((sink) -> loop.execute(() -> sink.success(answer)));
	}

	/**
	 * The one place an HTTP request's id is chosen: every answer carries it, the
	 * documentation and metrics too, and the dispatcher gets the same.
	 */
	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	WebFilter requestIds() {
		return (exchange, chain) -> {
			String id = RequestId.choose(exchange.getRequest().getHeaders().getFirst(RequestId.HEADER));
			exchange.getResponse().getHeaders().set(RequestId.HEADER, id);
			exchange.getAttributes().put(REQUEST_ID, id);
			return chain.filter(exchange);
		};
	}

	/**
	 * Requests Netty or WebFlux refuse before the dispatcher are answered with
	 * problem+json too.
	 */
	@Bean
	NettyServerCustomizer refusedRequests() {
		return RefusedRequests.onEveryConnection();
	}

	private static ApiRequest apiRequest(ServerRequest request, ClientAddresses addresses, int maxBody) {
		ServerHttpRequest http = request.exchange().getRequest();
		return new ApiRequest(http.getMethod().name(), http.getURI().getRawPath(),
				() -> QueryString.parse(http.getURI().getRawQuery()), http.getHeaders()::getFirst, body(http, maxBody),
				request.exchange().getRequiredAttribute(REQUEST_ID),
				addresses.of(http.getRemoteAddress(), http.getHeaders().getFirst("X-Forwarded-For")));
	}

	private static Mono<ServerResponse> write(ApiResponse response) {
		ServerResponse.BodyBuilder builder = ServerResponse.status(response.status());
		response.headers().forEach(builder::header);
		return (response.body().length == 0) ? builder.build() : builder.bodyValue(response.body());
	}

	/** The body, refused as soon as it is known to pass {@code maxBody} bytes. */
	private static Mono<byte[]> body(ServerHttpRequest request, int maxBody) {
		if (request.getHeaders().getContentLength() > maxBody) {
			return Mono.error(ApiException.TooLarge.requestBody(maxBody));
		}
		return DataBufferUtils.join(request.getBody(), maxBody)
			.map(HttpEdge::bytes)
			.defaultIfEmpty(NO_BODY)
			.onErrorMap(DataBufferLimitException.class, (ex) -> ApiException.TooLarge.requestBody(maxBody))
			.onErrorMap((ex) -> !(ex instanceof ApiException),
					// Framing the client broke: a chunk size that is not one, a body
					// shorter than its Content-Length before the connection closed.
					(ex) -> new ApiException.Malformed("the request body could not be read to its end"));
	}

	private static byte[] bytes(DataBuffer buffer) {
		try {
			byte[] bytes = new byte[buffer.readableByteCount()];
			buffer.read(bytes);
			return bytes;
		}
		finally {
			DataBufferUtils.release(buffer);
		}
	}

}
