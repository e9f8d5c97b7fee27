package dev.kvstore.kv;

import dev.kvstore.problem.ApiException;

/**
 * {@code ?page=1&page_size=20&tag_filter=name:value}: one page of a tenant's entries by
 * key. {@code offset} starts the page at that position instead of at {@code page}'s
 * (where a page cut short by its size in bytes says the next one starts);
 * {@code keys_only=true} leaves the values out.
 */
public record PageQuery(Integer page, Integer pageSize, String tagFilter, Long offset, Boolean keysOnly) {

	public static final int MAX_PAGE_SIZE = 1000;

	public PageQuery {
		page = (page != null) ? page : 1;
		pageSize = (pageSize != null) ? pageSize : 20;
		if (page < 1) {
			throw new ApiException.Invalid("page must be 1 or more");
		}
		if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
			throw new ApiException.Invalid("page_size must be from 1 to " + MAX_PAGE_SIZE);
		}
		if (tagFilter != null && (tagFilter.indexOf(':') < 1)) {
			throw new ApiException.Invalid("tag_filter must look like name:value");
		}
		if (offset != null && offset < 0) {
			throw new ApiException.Invalid("offset must be 0 or more");
		}
		keysOnly = Boolean.TRUE.equals(keysOnly);
	}

	public PageQuery(Integer page, Integer pageSize, String tagFilter) {
		this(page, pageSize, tagFilter, null, false);
	}

	/** The tag name to filter on, or {@code ""} for none. */
	String tagName() {
		return (this.tagFilter != null) ? this.tagFilter.substring(0, this.tagFilter.indexOf(':')) : "";
	}

	/** The tag value to filter on, or {@code ""} for none. */
	String tagValue() {
		return (this.tagFilter != null) ? this.tagFilter.substring(this.tagFilter.indexOf(':') + 1) : "";
	}

	long firstRank() {
		return (this.offset != null) ? this.offset : (long) (this.page - 1) * this.pageSize;
	}

	long lastRank() {
		return firstRank() + this.pageSize - 1;
	}

}
