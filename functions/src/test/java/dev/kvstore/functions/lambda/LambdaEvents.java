package dev.kvstore.functions.lambda;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.cloud.function.adapter.aws.FunctionInvoker;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.kvstore.TestRedis;
import dev.kvstore.functions.ApiTest;
import dev.kvstore.functions.FunctionsApplication;
import dev.kvstore.functions.dispatch.QueryString;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs the functions app the way the Lambda runtime does, in this JVM: a
 * {@link FunctionInvoker} fed API Gateway events built on AWS's own samples in
 * ../shared/reference/aws-events/.
 */
final class LambdaEvents {

	static final Path SAMPLES = Path.of("../../shared/reference/aws-events");

	private static final JsonMapper json = JsonMapper.shared();

	private final FunctionInvoker invoker;

	private final ObjectNode template;

	private final boolean httpApi;

	/** A response as API Gateway would receive it. */
	record Response(int status, Map<String, String> headers, String body) {
	}

	private LambdaEvents(FunctionInvoker invoker, ObjectNode template, boolean httpApi) {
		this.invoker = invoker;
		this.template = template;
		this.httpApi = httpApi;
	}

	static void assumeSamples() {
		assumeTrue(Files.isDirectory(SAMPLES), "the AWS event samples are not beside the repository (" + SAMPLES + ")");
	}

	/**
	 * Starts the app as a Lambda with these settings (function definition,
	 * KVSTORE_FUNCTION).
	 */
	static LambdaEvents start(String definition, String onlyFunction) {
		Map<String, String> properties = Map.of("MAIN_CLASS", FunctionsApplication.class.getName(),
				"spring.main.web-application-type", "none", "spring.data.redis.host", TestRedis.host(), "SECRET_KEY",
				ApiTest.SECRET, "BCRYPT_STRENGTH", "4", "KVSTORE_FUNCTION", onlyFunction);
		properties.forEach(System::setProperty);
		try {
			boolean httpApi = definition.equals("httpApi");
			String sample = httpApi ? "apigw_http_event.json" : "apigw_rest_event.json";
			return new LambdaEvents(new FunctionInvoker(definition),
					(ObjectNode) json.readTree(Files.readString(SAMPLES.resolve(sample))), httpApi);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		finally {
			properties.keySet().forEach(System::clearProperty);
		}
	}

	/**
	 * Sends one request; {@code path} may carry a query string, {@code token} may be
	 * null.
	 */
	Response send(String method, String path, String token, String body, Map<String, String> headers) {
		return send(method, path, token, body, false, headers);
	}

	/** Sends a request whose body API Gateway base64-encoded. */
	Response sendBase64(String method, String path, String base64Body, Map<String, String> headers) {
		return send(method, path, null, base64Body, true, headers);
	}

	private Response send(String method, String path, String token, String body, boolean base64,
			Map<String, String> headers) {
		ObjectNode event = this.template.deepCopy();
		String rawPath = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
		String query = path.contains("?") ? path.substring(path.indexOf('?') + 1) : "";
		ObjectNode eventHeaders = event.putObject("headers");
		headers.forEach(eventHeaders::put);
		if (token != null) {
			eventHeaders.put(this.httpApi ? "authorization" : "Authorization", "Bearer " + token);
		}
		event.put("body", body);
		event.put("isBase64Encoded", base64);
		if (this.httpApi) {
			event.put("routeKey", method + " " + rawPath);
			event.put("rawPath", rawPath);
			event.put("rawQueryString", query);
			event.remove("queryStringParameters");
			event.remove("pathParameters");
			((ObjectNode) event.get("requestContext").get("http")).put("method", method).put("path", rawPath);
		}
		else {
			event.put("httpMethod", method);
			event.put("path", URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8));
			event.remove("queryStringParameters");
			event.remove("multiValueHeaders");
			ObjectNode multi = event.putObject("multiValueQueryStringParameters");
			QueryString.parse(query)
				.forEach((name, values) -> values.forEach((value) -> multi.withArray(name).add(value)));
		}
		try {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			this.invoker.handleRequest(new ByteArrayInputStream(json.writeValueAsBytes(event)), out, null);
			JsonNode response = json.readTree(out.toByteArray());
			Map<String, String> responseHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
			response.path("headers")
				.properties()
				.forEach((h) -> responseHeaders.put(h.getKey(), h.getValue().asString()));
			return new Response(response.get("statusCode").asInt(), responseHeaders,
					response.path("body").asString(""));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
