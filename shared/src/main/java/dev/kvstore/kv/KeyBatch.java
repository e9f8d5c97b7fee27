package dev.kvstore.kv;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.kvstore.problem.ApiException;

/**
 * The keys of a bulk read or delete: {@code {"keys": [...]}}, 1 to {@value #MAX_KEYS}, in
 * the order given, a repeated key once; a delete may give the version some of them must
 * be at ({@code "versions": {"key": 3}}), or nothing is deleted.
 *
 * @param keys the keys
 * @param versions the version each named key must be at; empty for none
 */
public record KeyBatch(List<String> keys, Map<String, Long> versions) {

	public static final int MAX_KEYS = 1000;

	public KeyBatch {
		if (keys == null || keys.isEmpty() || keys.size() > MAX_KEYS) {
			throw new ApiException.Invalid("keys must hold 1 to " + MAX_KEYS + " keys");
		}
		if (keys.stream().anyMatch(Objects::isNull)) {
			throw new ApiException.Invalid("keys cannot contain null");
		}
		keys = List.copyOf(new LinkedHashSet<>(keys.stream().map(Rules::key).toList()));
		versions = (versions != null) ? versions : Map.of();
		for (Map.Entry<String, Long> version : versions.entrySet()) {
			if (!keys.contains(version.getKey())) {
				throw new ApiException.Invalid("versions names a key that is not in keys", List.of(version.getKey()));
			}
			if (version.getValue() == null || version.getValue() < 1) {
				throw new ApiException.Invalid("a version is a whole number from 1", List.of(version.getKey()));
			}
		}
		versions = Map.copyOf(versions);
	}

}
