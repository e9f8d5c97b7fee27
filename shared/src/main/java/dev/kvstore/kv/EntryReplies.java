package dev.kvstore.kv;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.kvstore.json.ApiJson;
import dev.kvstore.kv.Responses.BulkDeletion;
import dev.kvstore.kv.Responses.BulkRead;
import dev.kvstore.kv.Responses.EntryPage;

/**
 * Reads the entry scripts' replies (see entries.lua's {@code push_entry}): per entry its
 * key, value, version, tags, ttl, created, updated, expires and entity tag.
 */
final class EntryReplies {

	private static final int ENTRY_WIDTH = 9;

	private EntryReplies() {
	}

	/** The entry whose key is at {@code at}. */
	static Entry entry(List<String> reply, int at) {
		return entry(reply, at, false);
	}

	/**
	 * The entries a create wrote, at version 1 from the time {@code reply} gives, each
	 * with the entity tag the reply gives it.
	 */
	static List<Entry> created(List<String> reply, List<NewEntry> entries, List<String> values) {
		Instant now = Instant.ofEpochMilli(Long.parseLong(reply.get(1)));
		List<Entry> created = new ArrayList<>(entries.size());
		for (int i = 0; i < entries.size(); i++) {
			NewEntry entry = entries.get(i);
			Instant expiresAt = (entry.ttl() != null) ? now.plusSeconds(entry.ttl()) : null;
			created.add(new Entry(entry.key(), values.get(i),
					new Entry.Metadata(1, entry.ttl(), sorted(entry.tags()), now, now, expiresAt), reply.get(2 + i)));
		}
		return created;
	}

	/**
	 * A page of entries: the reply's total and next rank, then its entries from index 5.
	 */
	static EntryPage page(List<String> reply, PageQuery query) {
		String next = reply.get(4);
		return new EntryPage(entries(reply, 5, query.keysOnly()), query.page(), query.pageSize(),
				Long.parseLong(reply.get(2)), next.isEmpty() ? null : Long.valueOf(next));
	}

	/** The entries from index {@code from} to the reply's end. */
	static List<Entry> entries(List<String> reply, int from, boolean withoutValues) {
		List<Entry> items = new ArrayList<>((reply.size() - from) / ENTRY_WIDTH);
		for (int at = from; at < reply.size(); at += ENTRY_WIDTH) {
			items.add(entry(reply, at, withoutValues));
		}
		return items;
	}

	/**
	 * A bulk read: the missing keys' count and keys from index 2, the unread keys' count
	 * and keys, then the entries.
	 */
	static BulkRead bulkRead(List<String> reply) {
		int missing = Integer.parseInt(reply.get(2));
		int unreadAt = 3 + missing;
		int unread = Integer.parseInt(reply.get(unreadAt));
		int entriesAt = unreadAt + 1 + unread;
		return new BulkRead(entries(reply, entriesAt, false), List.copyOf(reply.subList(3, unreadAt)),
				List.copyOf(reply.subList(unreadAt + 1, entriesAt)));
	}

	/** A bulk delete: the deleted keys' count and keys from index 1, then the missing. */
	static BulkDeletion bulkDeletion(List<String> reply) {
		int deletedEnd = 2 + Integer.parseInt(reply.get(1));
		return new BulkDeletion(List.copyOf(reply.subList(2, deletedEnd)),
				List.copyOf(reply.subList(deletedEnd, reply.size())));
	}

	static Map<String, String> sorted(Map<String, String> tags) {
		return tags.isEmpty() ? Map.of() : new TreeMap<>(tags);
	}

	private static Entry entry(List<String> reply, int at, boolean withoutValue) {
		String tags = reply.get(at + 3);
		String ttl = reply.get(at + 4);
		return new Entry(reply.get(at), withoutValue ? null : reply.get(at + 1),
				new Entry.Metadata(Long.parseLong(reply.get(at + 2)), ttl.isEmpty() ? null : Long.valueOf(ttl),
						(tags.isEmpty() || tags.equals("{}")) ? Map.of()
								: ApiJson.mapper().readValue(tags, Expiry.TAGS),
						instant(reply.get(at + 5)), instant(reply.get(at + 6)), instant(reply.get(at + 7))),
				reply.get(at + 8));
	}

	private static Instant instant(String millis) {
		return millis.isEmpty() ? null : Instant.ofEpochMilli(Long.parseLong(millis));
	}

}
