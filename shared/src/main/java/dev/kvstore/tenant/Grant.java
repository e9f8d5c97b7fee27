package dev.kvstore.tenant;

import dev.kvstore.problem.ApiException;

/**
 * What a request made with an API key may do in its tenant: read only, or read and write,
 * and only keys that start with its prefix ({@code ""}: any). A request made with the
 * account's own token has no grant and may do everything.
 *
 * @param apiKeyId the API key's id, named in the audit events of what it does
 * @param mayWrite whether it may write as well as read
 * @param prefix the start every key it touches must have
 */
public record Grant(String apiKeyId, boolean mayWrite, String prefix) {

	/**
	 * The key, if the grant covers it.
	 * @throws ApiException.Forbidden when the key is outside the grant's prefix
	 */
	public String covering(String key) {
		if (!key.startsWith(this.prefix)) {
			throw new ApiException.Forbidden("this API key may only touch keys that start with " + this.prefix);
		}
		return key;
	}

	/**
	 * The prefix a listing or count asks for, narrowed to the grant's.
	 * @throws ApiException.Forbidden when the two have no key in common
	 */
	public String narrowing(String wanted) {
		if (wanted.startsWith(this.prefix)) {
			return wanted;
		}
		if (this.prefix.startsWith(wanted)) {
			return this.prefix;
		}
		throw new ApiException.Forbidden("this API key may only list keys that start with " + this.prefix);
	}

}
