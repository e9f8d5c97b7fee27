package dev.kvstore.kv;

/**
 * The key of an entry to read, delete or inspect, taken from the path.
 */
public record EntryKey(String key) {

	public EntryKey {
		key = Rules.key(key);
	}

}
