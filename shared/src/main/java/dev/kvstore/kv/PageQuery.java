package dev.kvstore.kv;

import dev.kvstore.problem.ApiException;

/**
 * {@code ?page=1&page_size=20&tag_filter=name:value}: one page of a tenant's entries by
 * key.
 */
public record PageQuery(Integer page, Integer pageSize, String tagFilter) {

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
		return (long) (this.page - 1) * this.pageSize;
	}

	long lastRank() {
		return firstRank() + this.pageSize - 1;
	}

}
