package dev.kvstore.functions.dispatch;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.kvstore.problem.ApiException;

/**
 * Decodes a raw query string, keeping every value of a repeated name, as both edges
 * receive it.
 */
public final class QueryString {

	private QueryString() {
	}

	/** Decodes {@code a=1&b=2&b=3}; {@code null} or empty gives an empty map. */
	public static Map<String, List<String>> parse(String raw) {
		if (raw == null || raw.isEmpty()) {
			return Map.of();
		}
		Map<String, List<String>> query = new LinkedHashMap<>();
		for (String pair : raw.split("&")) {
			if (pair.isEmpty()) {
				continue;
			}
			int equals = pair.indexOf('=');
			String name = decode((equals < 0) ? pair : pair.substring(0, equals));
			String value = (equals < 0) ? "" : decode(pair.substring(equals + 1));
			query.computeIfAbsent(name, (n) -> new ArrayList<>()).add(value);
		}
		return query;
	}

	private static String decode(String text) {
		try {
			return URLDecoder.decode(text, StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			throw new ApiException.Malformed("the query string has an invalid percent-encoding");
		}
	}

}
