package dev.kvstore.kv;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import dev.kvstore.problem.ApiException;

/**
 * A batch to create all together or not at all: {@code {"items": [...]}}.
 */
public record NewEntries(List<NewEntry> items) {

	public static final int MAX_ITEMS = 100;

	public NewEntries {
		if (items == null || items.isEmpty() || items.size() > MAX_ITEMS) {
			throw new ApiException.Invalid("items must hold 1 to " + MAX_ITEMS + " entries");
		}
		if (items.stream().anyMatch(Objects::isNull)) {
			throw new ApiException.Invalid("items cannot contain null");
		}
		Set<String> seen = new HashSet<>();
		List<String> repeated = items.stream().map(NewEntry::key).filter((key) -> !seen.add(key)).distinct().toList();
		if (!repeated.isEmpty()) {
			throw new ApiException.Invalid("a key may appear only once in a batch", repeated);
		}
		items = List.copyOf(items);
	}

}
