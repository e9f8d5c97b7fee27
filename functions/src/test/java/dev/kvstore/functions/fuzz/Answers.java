package dev.kvstore.functions.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.DecimalNode;
import tools.jackson.databind.node.ObjectNode;

import dev.kvstore.problem.ProblemType;
import dev.kvstore.functions.ApiClient;
import dev.kvstore.functions.ApiClient.Response;
import dev.kvstore.json.ApiJson;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every answer of the API must be, whatever was asked: a success, or a client error
 * told as RFC 9457 problem+json; never a server error, never a trace of the internals.
 */
final class Answers {

	/** A stack frame, an exception class, a framework package or the server's name. */
	static final Pattern INTERNALS = Pattern.compile(
			"\tat |\\bat [a-z]+\\.[A-Za-z0-9_.$]+\\(|[A-Za-z]+Exception\\b|Caused by|org\\.springframework|org\\.apache|java\\.lang|jakarta\\.|tools\\.jackson|io\\.lettuce|io\\.netty|reactor\\.netty|Apache Tomcat");

	private Answers() {
	}

	/** Asserts a 2xx, or a 4xx problem+json with that status; returns the status. */
	static int check(Response response) {
		assertThat(response.status()).as("status of %s", response.body()).isBetween(200, 499);
		assertThat(INTERNALS.matcher(response.body()).find()).as("internals in %s", response.body()).isFalse();
		if (response.status() >= 400) {
			assertThat(mediaType(response.contentType()))
				.as("content type of %d %s", response.status(), response.body())
				.isEqualTo("application/problem+json");
			JsonNode problem = response.json();
			assertThat(problem.get("status").asInt()).isEqualTo(response.status());
			assertThat(problem.get("type").asString()).startsWith(ProblemType.PATH);
			assertThat(problem.get("title").asString()).isNotBlank();
		}
		return response.status();
	}

	/** A Content-Type without its parameters ({@code ;charset=UTF-8}). */
	static String mediaType(String contentType) {
		int semicolon = contentType.indexOf(';');
		return ((semicolon < 0) ? contentType : contentType.substring(0, semicolon)).trim();
	}

	/** Asserts {@link #check} and exactly this status. */
	static Response expect(Response response, int status) {
		check(response);
		assertThat(response.status()).as("status of %s", response.body()).isEqualTo(status);
		return response;
	}

	/**
	 * A key as one path segment. Unlike {@link ApiClient#key(String)}, an unpaired
	 * surrogate is sent as the bytes Java's "modified UTF-8" would give it (ED A0 80),
	 * which is not UTF-8, instead of being silently replaced by {@code ?}.
	 */
	static String segment(String key) {
		StringBuilder encoded = new StringBuilder();
		for (int i = 0; i < key.length(); i++) {
			char c = key.charAt(i);
			int codePoint = c;
			if (Character.isHighSurrogate(c) && i + 1 < key.length() && Character.isLowSurrogate(key.charAt(i + 1))) {
				codePoint = Character.toCodePoint(c, key.charAt(++i));
			}
			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
					|| c == '~') {
				encoded.append(c);
				continue;
			}
			byte[] bytes = Character.isSurrogate(c) && codePoint == c
					? new byte[] { (byte) (0xE0 | (c >> 12)), (byte) (0x80 | ((c >> 6) & 0x3F)),
							(byte) (0x80 | (c & 0x3F)) }
					: new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
			for (byte b : bytes) {
				encoded.append('%').append(String.format("%02X", b & 0xff));
			}
		}
		return encoded.toString();
	}

	/** The path of a key's entry. */
	static String path(String key) {
		return "/api/v1/kv/" + segment(key);
	}

	static JsonNode json(String text) {
		return ApiJson.mapper().readTree(text);
	}

	/**
	 * The same tree with every number as its decimal value and scale, so that {@code 1e0}
	 * and {@code 1} are equal but {@code 1.10} and {@code 1.1} are not.
	 */
	static JsonNode numbersAsDecimals(JsonNode node) {
		if (node.isNumber()) {
			return DecimalNode.valueOf(node.decimalValue());
		}
		if (node.isArray()) {
			ArrayNode array = ApiJson.mapper().createArrayNode();
			node.forEach((item) -> array.add(numbersAsDecimals(item)));
			return array;
		}
		if (node.isObject()) {
			ObjectNode object = ApiJson.mapper().createObjectNode();
			node.properties().forEach((field) -> object.set(field.getKey(), numbersAsDecimals(field.getValue())));
			return object;
		}
		return node;
	}

}
