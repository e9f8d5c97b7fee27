package dev.kvstore.functions.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The API's documentation, served by the app itself with no internet access:
 * {@code /openapi.json} (the maintained OpenAPI document, held to the route table by a
 * test) and {@code /docs} (Swagger UI from its webjar), through WebFlux; the API edge
 * answers everything else.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
class ApiDocs {

	/** Whether a path is the documentation's (the rest is the API's, but the metrics). */
	static boolean serves(String path) {
		return path.equals("/openapi.json") || path.equals("/docs") || path.equals("/redoc")
				|| path.startsWith("/docs/") || path.startsWith("/redoc/") || path.startsWith("/webjars/");
	}

	@Bean
	RouterFunction<ServerResponse> documentation(@Value("${kvstore.docs.swagger-ui-version}") String swaggerUi) {
		String swaggerPage = read("docs/swagger.html").replace("@SWAGGER_UI@", swaggerUi);
		String redocPage = read("docs/redoc.html");
		return RouterFunctions.route()
			.GET("/openapi.json",
					(request) -> ServerResponse.ok()
						.contentType(MediaType.APPLICATION_JSON)
						.body(BodyInserters.fromResource(new ClassPathResource("docs/openapi.json"))))
			.GET("/docs", (request) -> ServerResponse.ok().contentType(MediaType.TEXT_HTML).bodyValue(swaggerPage))
			.GET("/redoc", (request) -> ServerResponse.ok().contentType(MediaType.TEXT_HTML).bodyValue(redocPage))
			.GET("/redoc/redoc.standalone.js",
					(request) -> ServerResponse.ok()
						.contentType(MediaType.valueOf("text/javascript"))
						.body(BodyInserters.fromResource(new ClassPathResource("docs/redoc.standalone.js"))))
			.GET("/docs/init.js",
					(request) -> ServerResponse.ok()
						.contentType(MediaType.valueOf("text/javascript"))
						.body(BodyInserters.fromResource(new ClassPathResource("docs/init.js"))))
			.resources("/webjars/swagger-ui/**", new ClassPathResource("META-INF/resources/webjars/swagger-ui/"))
			.build();
	}

	private static String read(String resource) {
		try {
			return new ClassPathResource(resource).getContentAsString(StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
