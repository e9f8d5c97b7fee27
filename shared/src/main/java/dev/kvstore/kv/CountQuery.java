package dev.kvstore.kv;

/**
 * {@code ?prefix=p}: count the live keys that start with {@code prefix}; all of them
 * without one.
 */
public record CountQuery(String prefix) {

	public CountQuery {
		prefix = (prefix != null) ? Rules.prefix(prefix) : "";
	}

}
