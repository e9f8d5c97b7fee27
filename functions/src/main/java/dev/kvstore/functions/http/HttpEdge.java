package dev.kvstore.functions.http;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.boot.webflux.autoconfigure.WebHttpHandlerBuilderCustomizer;
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
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.server.WebFilter;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;

import dev.kvstore.functions.dispatch.ApiRequest;
import dev.kvstore.functions.dispatch.ApiResponse;
import dev.kvstore.functions.dispatch.Dispatcher;
import dev.kvstore.functions.dispatch.QueryString;
import dev.kvstore.functions.dispatch.RequestId;
import dev.kvstore.problem.ApiException;

/**
 * Hands every HTTP request but the documentation's and the metrics' to the
 * {@link Dispatcher} and writes its answer, on Netty's event loops: nothing here blocks.
 * The body is read only for routes that take one and capped while it arrives; the path is
 * passed on raw, so that {@code %2F} inside a key stays part of the key. Spring Cloud
 * Function's own web endpoints are not on the classpath: nothing but the route table, the
 * documentation and the metrics is reachable.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@EnableConfigurationProperties(ClientAddresses.Settings.class)
class HttpEdge {

	private static final byte[] NO_BODY = new byte[0];

	private static final Set<String> LIST_HEADERS = Set.of("If-Match", "If-None-Match");

	/** The actuator's Prometheus endpoint (management.endpoints.web.path-mapping). */
	private static final String METRICS = "/metrics";

	/**
	 * The API is served straight from the HTTP handler: every request but those of the
	 * documentation and the metrics goes to the dispatcher without WebFlux's handler
	 * mappings, exchange and response building, which cost more than the rest of a
	 * request together. The others go through WebFlux as usual.
	 */
	@Bean
	WebHttpHandlerBuilderCustomizer apiFirst(Dispatcher dispatcher, ClientAddresses.Settings addressSettings,
			@Value("${kvstore.http.body-read-timeout}") Duration bodyDeadline) {
		ClientAddresses addresses = new ClientAddresses(addressSettings);
		return (builder) -> builder.httpHandlerDecorator((webFlux) -> (request, response) -> {
			if (ApiDocs.serves(request.getPath().value()) || METRICS.equals(request.getPath().value())) {
				return webFlux.handle(request, writtenOnConnectionLoop(request, response));
			}
			String requestId = assignRequestId(request, response);
			return dispatcher.dispatch(apiRequest(request, requestId, addresses, bodyDeadline))
				.flatMap((answer) -> onConnectionLoop(request, answer))
				.flatMap((answer) -> write(request, answer, response));
		});
	}

	/**
	 * The answer, handed back to the event loop of its connection when it arrived on
	 * another thread (Lettuce's, a worker's). Reactor Netty 1.3 loses the next request of
	 * a keep-alive connection when it arrives while a response written from another
	 * thread is still completing (reactor/reactor-netty#4361, fixed after 1.3.8); written
	 * from its own loop, a response completes before the loop reads on.
	 */
	private static Mono<ApiResponse> onConnectionLoop(ServerHttpRequest request, ApiResponse answer) {
		EventLoop loop = connectionLoop(request);
		if (loop == null || loop.inEventLoop()) {
			return Mono.just(answer);
		}
		return Mono.create((sink) -> loop.execute(() -> sink.success(answer)));
	}

	/**
	 * The same for what WebFlux answers: the actuator scrapes the metrics on a worker
	 * thread, and a scrape's answer written from there left the connection's next request
	 * unanswered about once in fifty.
	 */
	private static ServerHttpResponse writtenOnConnectionLoop(ServerHttpRequest request, ServerHttpResponse response) {
		EventLoop loop = connectionLoop(request);
		if (loop == null) {
			return response;
		}
		Scheduler onLoop = Schedulers.fromExecutor(loop);
		return new ServerHttpResponseDecorator(response) {

			@Override
			public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
				// A buffer still queued for the loop when the client goes is released.
				Publisher<? extends DataBuffer> onItsLoop = (body instanceof Mono<? extends DataBuffer> one)
						? one.publishOn(onLoop).doOnDiscard(DataBuffer.class, DataBufferUtils::release)
						: Flux.from(body).publishOn(onLoop).doOnDiscard(DataBuffer.class, DataBufferUtils::release);
				return super.writeWith(onItsLoop).subscribeOn(onLoop);
			}

			@Override
			public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
				return super.writeAndFlushWith(Flux.from(body).publishOn(onLoop)).subscribeOn(onLoop);
			}

			@Override
			public Mono<Void> setComplete() {
				return super.setComplete().subscribeOn(onLoop);
			}

		};
	}

	private static @Nullable EventLoop connectionLoop(ServerHttpRequest request) {
		return (ServerHttpRequestDecorator.getNativeRequest(request) instanceof Connection netty)
				? netty.channel().eventLoop() : null;
	}

	/** The documentation and the metrics carry a request id like the API's answers. */
	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	WebFilter requestIds() {
		return (exchange, chain) -> {
			assignRequestId(exchange.getRequest(), exchange.getResponse());
			return chain.filter(exchange);
		};
	}

	/** The one place an HTTP request's id is chosen, and echoed on its answer. */
	private static String assignRequestId(ServerHttpRequest request, ServerHttpResponse response) {
		String id = RequestId.choose(request.getHeaders().getFirst(RequestId.HEADER));
		response.getHeaders().set(RequestId.HEADER, id);
		return id;
	}

	/**
	 * Requests Netty or WebFlux refuse before the dispatcher are answered with
	 * problem+json too.
	 */
	@Bean
	NettyServerCustomizer refusedRequests() {
		return RefusedRequests.onEveryConnection();
	}

	private static ApiRequest apiRequest(ServerHttpRequest request, String requestId, ClientAddresses addresses,
			Duration bodyDeadline) {
		return new ApiRequest(request.getMethod().name(), request.getURI().getRawPath(),
				() -> QueryString.parse(request.getURI().getRawQuery()), (name) -> header(request.getHeaders(), name),
				(maxBody) -> body(request, maxBody, bodyDeadline), requestId,
				addresses.of(request.getRemoteAddress(), request.getHeaders().getFirst("X-Forwarded-For")));
	}

	/**
	 * A header's value. The conditional ones are lists, which a client may send as
	 * several lines: every line counts, joined (RFC 9110 section 5.3).
	 */
	private static @Nullable String header(HttpHeaders headers, String name) {
		if (!LIST_HEADERS.contains(name)) {
			return headers.getFirst(name);
		}
		List<String> lines = headers.get(name);
		return (lines == null || lines.isEmpty()) ? null : String.join(", ", lines);
	}

	/**
	 * The answer; to a HEAD request, its status and headers without the body. A stream's
	 * parts are each flushed as they come, from the connection's event loop.
	 */
	private static Mono<Void> write(ServerHttpRequest request, ApiResponse answer, ServerHttpResponse response) {
		response.setStatusCode(HttpStatusCode.valueOf(answer.status()));
		answer.headers().forEach(response.getHeaders()::set);
		if (answer.stream() != null) {
			return writtenOnConnectionLoop(request, response)
				.writeAndFlushWith(answer.stream().map((part) -> Mono.just(response.bufferFactory().wrap(part))));
		}
		if (answer.body().length == 0) {
			return response.setComplete();
		}
		response.getHeaders().setContentLength(answer.body().length);
		if (request.getMethod() == HttpMethod.HEAD) {
			return response.setComplete();
		}
		return response.writeWith(Mono.just(response.bufferFactory().wrap(answer.body())));
	}

	/**
	 * The body, refused as soon as it is known to pass {@code maxBody} bytes, or when it
	 * has not arrived whole within {@code deadline}: a client sending a byte now and then
	 * holds no more than that.
	 */
	private static Mono<byte[]> body(ServerHttpRequest request, int maxBody, Duration deadline) {
		if (request.getHeaders().getContentLength() > maxBody) {
			return Mono.error(ApiException.TooLarge.requestBody(maxBody));
		}
		return DataBufferUtils.join(request.getBody(), maxBody)
			.timeout(after(deadline, connectionLoop(request)),
					Mono.error(() -> new ApiException.TimedOut(
							"the request body did not arrive within " + deadline.toSeconds() + " s")))
			.map(HttpEdge::bytes)
			.defaultIfEmpty(NO_BODY)
			.onErrorMap(DataBufferLimitException.class, (ex) -> ApiException.TooLarge.requestBody(maxBody))
			.onErrorMap((ex) -> !(ex instanceof ApiException),
					// Framing the client broke: a chunk size that is not one, a body
					// shorter than its Content-Length before the connection closed.
					(ex) -> new ApiException.Malformed("the request body could not be read to its end"));
	}

	/**
	 * A signal after {@code delay}, timed by the connection's event loop: there a timer
	 * is a heap entry the loop looks at anyway, where one on Reactor's parallel scheduler
	 * woke that scheduler's thread for nearly every request (13% of the CPU under PUTs).
	 */
	private static Mono<Long> after(Duration delay, @Nullable EventLoop loop) {
		if (loop == null) {
			return Mono.delay(delay);
		}
		return Mono.create((sink) -> {
			ScheduledFuture<?> timer = loop.schedule(() -> sink.success(0L), delay.toMillis(), TimeUnit.MILLISECONDS);
			sink.onCancel(() -> timer.cancel(false));
		});
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
