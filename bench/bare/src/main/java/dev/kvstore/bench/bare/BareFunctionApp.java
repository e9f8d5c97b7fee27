package dev.kvstore.bench.bare;

import java.util.function.Function;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * One function, reached through Spring Cloud Function's catalog from one WebFlux route:
 * {@code GET /greet/{name}}.
 */
@SpringBootApplication
public class BareFunctionApp {

	public static void main(String[] args) {
		SpringApplication.run(BareFunctionApp.class, args);
	}

	@Bean
	Function<String, String> greet() {
		return (name) -> "hello " + name;
	}

	@Bean
	RouterFunction<ServerResponse> route(FunctionCatalog functions) {
		Function<String, String> greet = functions.lookup("greet");
		return RouterFunctions.route()
			.GET("/greet/{name}", (request) -> ServerResponse.ok().bodyValue(greet.apply(request.pathVariable("name"))))
			.build();
	}

}
