package dev.kvstore.functions.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.core.StandardHost;
import org.apache.tomcat.util.buf.EncodedSolidusHandling;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.tomcat.TomcatContextCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.RequestPredicates;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.kvstore.functions.dispatch.ApiRequest;
import dev.kvstore.functions.dispatch.ApiResponse;
import dev.kvstore.functions.dispatch.Dispatcher;
import dev.kvstore.functions.dispatch.QueryString;
import dev.kvstore.kv.KvSettings;
import dev.kvstore.problem.ApiException;

/**
 * Hands every HTTP request to the {@link Dispatcher} and writes its answer. The body is
 * capped here, before it is read whole; the path is passed on raw, so that {@code %2F}
 * inside a key stays part of the key. Spring Cloud Function's own web endpoints are not
 * on the classpath: nothing but the route table is reachable.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class HttpEdge {

	@Bean
	RouterFunction<ServerResponse> api(Dispatcher dispatcher, KvSettings settings) {
		return RouterFunctions.route(RequestPredicates.all(),
				(request) -> write(dispatcher.dispatch(toApiRequest(request, settings.maxRequestSize()))));
	}

	/**
	 * Tomcat refuses {@code %2F} and {@code %5C} in paths by default; keys may contain
	 * both.
	 */
	@Bean
	TomcatConnectorCustomizer encodedSlashesInKeys() {
		return (connector) -> {
			connector.setEncodedSolidusHandling(EncodedSolidusHandling.PASS_THROUGH.getValue());
			connector.setEncodedReverseSolidusHandling(EncodedSolidusHandling.PASS_THROUGH.getValue());
		};
	}

	/**
	 * Every HTTP answer carries X-Request-ID, the documentation and metrics too; the
	 * dispatcher sees the same id the filter chose. A Content-Type Spring MVC cannot hold
	 * (a wildcard, a malformed one) is hidden: bodies are read as JSON whatever it says,
	 * and Spring would otherwise fail the request before the dispatcher sees it.
	 */
	@Bean
	FilterRegistrationBean<OncePerRequestFilter> requestIds() {
		FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(
				new OncePerRequestFilter() {
					@Override
					protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
							FilterChain chain) throws ServletException, IOException {
						String id = Dispatcher.requestId(request.getHeader(Dispatcher.REQUEST_ID));
						response.setHeader(Dispatcher.REQUEST_ID, id);
						chain.doFilter(new EdgeRequest(request, id), response);
					}
				});
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return registration;
	}

	/** The request as the rest of the app sees it: see {@link #requestIds()}. */
	private static final class EdgeRequest extends HttpServletRequestWrapper {

		private static final String CONTENT_TYPE = "Content-Type";

		private final String requestId;

		private final boolean hideContentType;

		EdgeRequest(HttpServletRequest request, String requestId) {
			super(request);
			this.requestId = requestId;
			this.hideContentType = !springCanHold(request.getContentType());
		}

		@Override
		public String getHeader(String name) {
			if (Dispatcher.REQUEST_ID.equalsIgnoreCase(name)) {
				return this.requestId;
			}
			return (isHidden(name)) ? null : super.getHeader(name);
		}

		@Override
		public Enumeration<String> getHeaders(String name) {
			return isHidden(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
		}

		@Override
		public Enumeration<String> getHeaderNames() {
			if (!this.hideContentType) {
				return super.getHeaderNames();
			}
			List<String> names = Collections.list(super.getHeaderNames());
			names.removeIf(this::isHidden);
			return Collections.enumeration(names);
		}

		@Override
		public String getContentType() {
			return this.hideContentType ? null : super.getContentType();
		}

		private boolean isHidden(String name) {
			return this.hideContentType && CONTENT_TYPE.equalsIgnoreCase(name);
		}

		/** None, or a parseable type without wildcards. */
		private static boolean springCanHold(String contentType) {
			if (contentType == null) {
				return true;
			}
			try {
				return MediaType.parseMediaType(contentType).isConcrete();
			}
			catch (InvalidMediaTypeException ex) {
				return false;
			}
		}

	}

	/** Requests Tomcat refuses itself are answered with problem+json too. */
	@Bean
	TomcatContextCustomizer problemErrorPages() {
		return (context) -> ((StandardHost) context.getParent())
			.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
	}

	private static ApiRequest toApiRequest(ServerRequest request, int maxBody) {
		HttpServletRequest servlet = request.servletRequest();
		return new ApiRequest(servlet.getMethod(), servlet.getRequestURI(),
				() -> QueryString.parse(servlet.getQueryString()), servlet::getHeader, () -> body(servlet, maxBody),
				servlet.getRemoteAddr());
	}

	private static ServerResponse write(ApiResponse response) {
		ServerResponse.BodyBuilder builder = ServerResponse.status(response.status());
		// X-Request-ID is already on the response: the requestIds filter set the same
		// value.
		response.headers().forEach((name, value) -> {
			if (!Dispatcher.REQUEST_ID.equals(name)) {
				builder.header(name, value);
			}
		});
		return (response.body().length == 0) ? builder.build() : builder.body(response.body());
	}

	private static byte[] body(HttpServletRequest request, int maxBody) {
		if (request.getContentLengthLong() > maxBody) {
			throw ApiException.TooLarge.requestBody(maxBody);
		}
		try (InputStream in = request.getInputStream()) {
			byte[] body = in.readNBytes(maxBody + 1);
			if (body.length > maxBody) {
				throw ApiException.TooLarge.requestBody(maxBody);
			}
			return body;
		}
		catch (IOException ex) {
			// Framing the client broke: a chunk size that is not one, a body shorter than
			// its Content-Length before the connection closed.
			throw new ApiException.Malformed("the request body could not be read to its end");
		}
	}

}
