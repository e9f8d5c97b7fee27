package dev.kvstore.kv;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;

import dev.kvstore.problem.ApiException;

/**
 * A request's conditions on the entry it names (RFC 9110 section 13.1): its
 * {@code If-Match} and {@code If-None-Match} headers, each absent, {@code *} or a list of
 * entity tags. The dispatcher puts them on a function's input message; a write checks
 * them in the same atomic step as it writes, a read answers 304 when the client's copy is
 * current.
 *
 * @param ifMatch the {@code If-Match} condition, or {@code null}
 * @param ifNoneMatch the {@code If-None-Match} condition, or {@code null}
 */
public record Preconditions(@Nullable Condition ifMatch, @Nullable Condition ifNoneMatch) {

	/** The message header that carries the conditions to a function. */
	public static final String HEADER = "kvstore_preconditions";

	public static final Preconditions NONE = new Preconditions(null, null);

	/** How many entity tags one header may list. */
	static final int MAX_TAGS = 64;

	/** Empty list elements: whitespace and commas. */
	private static final Pattern EMPTY_ELEMENTS = Pattern.compile("[\\s,]+");

	/** One entity tag, strong or weak, and what may follow it in a list. */
	private static final Pattern ENTITY_TAG = Pattern.compile("\\s*(W/)?\"([\\x21\\x23-\\x7E\\x80-\\xFF]*)\"\\s*(,|$)");

	/**
	 * The conditions of the headers as sent ({@code null} when absent).
	 * @throws ApiException.Malformed when a header is neither {@code *} nor a list of
	 * entity tags
	 */
	public static Preconditions parse(@Nullable String ifMatch, @Nullable String ifNoneMatch) {
		if (ifMatch == null && ifNoneMatch == null) {
			return NONE;
		}
		return new Preconditions(Condition.parse("If-Match", ifMatch), Condition.parse("If-None-Match", ifNoneMatch));
	}

	/** The conditions the dispatcher put on a function's input, or none. */
	public static Preconditions of(Message<?> message) {
		Preconditions conditions = message.getHeaders().get(HEADER, Preconditions.class);
		return (conditions != null) ? conditions : NONE;
	}

	/**
	 * Whether a read may answer 304: {@code If-None-Match} names the entry's tag, or is
	 * {@code *} (weak comparison, RFC 9110 section 13.1.2).
	 */
	public boolean notModified(String etag) {
		return this.ifNoneMatch != null && (this.ifNoneMatch.any() || this.ifNoneMatch.weakly().contains(etag));
	}

	/**
	 * Whether {@code If-Match} refuses a read of the entry: it names other tags (strong
	 * comparison, RFC 9110 section 13.1.1).
	 */
	public boolean refusesRead(String etag) {
		return this.ifMatch != null && !this.ifMatch.any() && !this.ifMatch.strongly().contains(etag);
	}

	/** {@code If-None-Match: *}: the write must create the entry. */
	public boolean createOnly() {
		return this.ifNoneMatch != null && this.ifNoneMatch.any();
	}

	/** {@code If-Match} as the entry scripts take it (strong comparison). */
	String ifMatchArgument() {
		return (this.ifMatch != null) ? this.ifMatch.argument(this.ifMatch.strongly()) : "";
	}

	/** {@code If-None-Match} as the entry scripts take it (weak comparison). */
	String ifNoneMatchArgument() {
		return (this.ifNoneMatch != null) ? this.ifNoneMatch.argument(this.ifNoneMatch.weakly()) : "";
	}

	/**
	 * One header's condition: {@code *}, or entity tags by their opaque part.
	 *
	 * @param any whether the header was {@code *}
	 * @param strongly the strong tags' opaque parts
	 * @param weakly every tag's opaque part, strong and weak
	 */
	public record Condition(boolean any, List<String> strongly, List<String> weakly) {

		static @Nullable Condition parse(String header, @Nullable String value) {
			if (value == null) {
				return null;
			}
			if (value.strip().equals("*")) {
				return new Condition(true, List.of(), List.of());
			}
			List<String> strong = new ArrayList<>();
			List<String> all = new ArrayList<>();
			Matcher tag = ENTITY_TAG.matcher(value);
			Matcher empty = EMPTY_ELEMENTS.matcher(value);
			int at = 0;
			while (at < value.length()) {
				// A list may have empty elements (RFC 9110 section 5.6.1).
				if (empty.region(at, value.length()).lookingAt()) {
					at = empty.end();
				}
				if (at == value.length() || !tag.region(at, value.length()).lookingAt()) {
					break;
				}
				if (all.size() == MAX_TAGS) {
					throw new ApiException.Malformed(header + " may name at most " + MAX_TAGS + " entity tags");
				}
				all.add(tag.group(2));
				if (tag.group(1) == null) {
					strong.add(tag.group(2));
				}
				at = tag.end();
			}
			if (at < value.length() || all.isEmpty()) {
				throw new ApiException.Malformed(header + " must be * or a list of quoted entity tags");
			}
			return new Condition(false, List.copyOf(strong), List.copyOf(all));
		}

		/** {@code *}, or the tags each with a space on either side: see entries.lua. */
		private String argument(List<String> tags) {
			return this.any ? "*" : " " + String.join(" ", tags) + " ";
		}

	}

}
