package dev.kvstore.kv;

import dev.kvstore.problem.ApiException;

/**
 * {@code ?page=1&page_size=20&tag_filter=name:value}: one page of a tenant's entries by
 * key. {@code offset} starts the page at that position instead of at {@code page}'s
 * (where a page cut short by its size in bytes says the next one starts);
 * {@code keys_only=true} leaves the values out. Or a walk: {@code ?prefix=p&limit=100}
 * and then {@code &cursor=c} from the page before, which the seed's listing parameters do
 * not combine with.
 */
public record PageQuery(Integer page, Integer pageSize, String tagFilter, Long offset, Boolean keysOnly, String prefix,
		Integer limit, String cursor) {

	public static final int MAX_PAGE_SIZE = 1000;

	public static final int DEFAULT_LIMIT = 100;

	public PageQuery {
		if ((prefix != null || limit != null || cursor != null)
				&& (page != null || pageSize != null || offset != null)) {
			throw new ApiException.Invalid("prefix, limit and cursor do not combine with page, page_size and offset");
		}
		if (limit != null && (limit < 1 || limit > MAX_PAGE_SIZE)) {
			throw new ApiException.Invalid("limit must be from 1 to " + MAX_PAGE_SIZE);
		}
		prefix = Rules.prefix(prefix);
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

	public PageQuery(Integer page, Integer pageSize, String tagFilter, Long offset, Boolean keysOnly) {
		this(page, pageSize, tagFilter, offset, keysOnly, null, null, null);
	}

	/**
	 * A walk by key ({@code prefix}, {@code limit}, {@code cursor}), not a numbered page.
	 */
	public boolean isWalk() {
		return this.prefix != null || this.limit != null || this.cursor != null;
	}

	/** The walk's page size. */
	int walkLimit() {
		return (this.limit != null) ? this.limit : DEFAULT_LIMIT;
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
