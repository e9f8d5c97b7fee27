package dev.kvstore.functions.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

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
import reactor.core.publisher.Mono;

import dev.kvstore.problem.ProblemType;

/**
 * The API's documentation, served by the app itself with no internet access:
 * {@code /openapi.json} (the maintained OpenAPI document, held to the route table by a
 * test), {@code /docs} (Swagger UI from its webjar), {@code /redoc}, and
 * {@code /problems/<slug>}, what each problem type means, where the {@code type} URI of a
 * problem+json answer leads; through WebFlux. The API edge answers everything else.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
class ApiDocs {

	/** The problem types' documentation, where their {@code type} URIs lead. */
	private static final String PROBLEMS = ProblemType.PATH.substring(0, ProblemType.PATH.length() - 1);

	/** Whether a path is the documentation's (the rest is the API's, but the metrics). */
	static boolean serves(String path) {
		return path.equals("/openapi.json") || path.equals("/docs") || path.equals("/redoc")
				|| path.startsWith("/docs/") || path.startsWith("/redoc/") || path.startsWith("/webjars/")
				|| path.equals(PROBLEMS) || path.startsWith(ProblemType.PATH);
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
			.GET(PROBLEMS, (request) -> html(problemIndex()))
			.GET(ProblemType.PATH + "{slug}", (request) -> {
				String slug = request.pathVariable("slug");
				return Arrays.stream(ProblemType.values())
					.filter((type) -> type.slug().equals(slug))
					.findFirst()
					.map((type) -> html(problemPage(type)))
					.orElseGet(() -> ServerResponse.notFound().build());
			})
			.build();
	}

	private static Mono<ServerResponse> html(String page) {
		return ServerResponse.ok().contentType(MediaType.TEXT_HTML).bodyValue(page);
	}

	private static String problemPage(ProblemType type) {
		return page(type.title(),
				"<h1>" + escaped(type.title()) + "</h1>\n<p>HTTP " + type.status() + " &middot; <code>" + type.uri()
						+ "</code></p>\n<p>" + escaped(type.meaning()) + "</p>\n<p><a href=\"" + PROBLEMS
						+ "\">All problem types</a> &middot; <a href=\"/docs\">API documentation</a></p>");
	}

	private static String problemIndex() {
		StringBuilder items = new StringBuilder();
		for (ProblemType type : ProblemType.values()) {
			items.append("<li><a href=\"")
				.append(type.uri())
				.append("\">")
				.append(escaped(type.title()))
				.append("</a> (")
				.append(type.status())
				.append(")</li>\n");
		}
		return page("Problem types", "<h1>Problem types</h1>\n<p>Every error is application/problem+json (RFC 9457); "
				+ "its <code>type</code> is one of these.</p>\n<ul>\n" + items + "</ul>");
	}

	private static String page(String title, String body) {
		return "<!doctype html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>KVStore: " + escaped(title)
				+ "</title></head>\n<body>\n" + body + "\n</body>\n</html>\n";
	}

	private static String escaped(String text) {
		return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
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
