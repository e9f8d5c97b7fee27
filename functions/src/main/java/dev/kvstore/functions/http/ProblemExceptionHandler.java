package dev.kvstore.functions.http;

import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;

import dev.kvstore.functions.dispatch.Answers;
import dev.kvstore.functions.dispatch.ApiResponse;
import dev.kvstore.functions.dispatch.RequestId;
import dev.kvstore.problem.ApiException;
import dev.kvstore.problem.Problem;

/**
 * What fails outside the dispatcher (a documentation file that is not there, the metrics
 * endpoint, WebFlux itself) is answered with problem+json too, before Spring Boot's own
 * error handler would write its JSON, and never with a stack trace.
 */
@Component
@Order(-2)
class ProblemExceptionHandler implements WebExceptionHandler {

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
		ServerHttpResponse response = exchange.getResponse();
		if (response.isCommitted()) {
			return Mono.error(ex);
		}
		ApiResponse answer = Answers.failure(translate(ex),
				exchange.getResponse().getHeaders().getFirst(RequestId.HEADER));
		response.setStatusCode(HttpStatusCode.valueOf(answer.status()));
		answer.headers().forEach(response.getHeaders()::set);
		response.getHeaders().setContentType(MediaType.parseMediaType(Problem.MEDIA_TYPE));
		return response.writeWith(Mono.just(response.bufferFactory().wrap(answer.body())));
	}

	/** What a client may know of the failure; anything else stays ours (a 500). */
	private static Throwable translate(Throwable ex) {
		if (!(ex instanceof ResponseStatusException status)) {
			return ex;
		}
		return switch (status.getStatusCode().value()) {
			case 404 -> new ApiException.NoRoute("no endpoint at this path");
			case 405 -> new ApiException.MethodNotAllowed("this method is not allowed here", "GET");
			case 413 -> new ApiException.TooLarge("the request is too large");
			case 400, 415 -> new ApiException.Malformed("the request could not be read");
			default -> ex;
		};
	}

}
