package dev.kvstore.kv;

import java.time.Duration;
import java.util.List;

import dev.kvstore.problem.ApiException;

/**
 * What an entry script's refusal means to the client: the account is gone (401), the
 * tenant went past its rate (429, with when to retry) or one of its quotas (403, nothing
 * written).
 */
final class ScriptRefusals {

	private final KvSettings settings;

	ScriptRefusals(KvSettings settings) {
		this.settings = settings;
	}

	/** The script's reply, unless it refuses the request. */
	List<String> replyOrThrow(List<String> reply) {
		switch (reply.getFirst()) {
			case "gone" ->
				throw new ApiException.Unauthorized("the account of this token no longer exists or is inactive");
			case "slow" -> throw new ApiException.RateLimited(
					"more than " + this.settings.opsPerSecond() + " operations per second for this tenant",
					"tenant_ops_per_second", Duration.ofMillis(Long.parseLong(reply.get(1))));
			case "quota" -> throw quotaExceeded(reply.get(1));
			case "heavy" -> throw new ApiException.Invalid("a request of more keys than this tenant's "
					+ this.settings.opsPerSecond() + " operations per second can never pass: split it");
			default -> {
				return reply;
			}
		}
	}

	private ApiException quotaExceeded(String quota) {
		return switch (quota) {
			case "max_keys" -> new ApiException.QuotaExceeded(
					"this tenant may hold at most " + this.settings.maxKeys() + " keys", "tenant_max_keys");
			default -> new ApiException.QuotaExceeded("this tenant may hold at most " + this.settings.maxBytes()
					+ " bytes of stored data (values, tags, keys and their indexes)", "tenant_max_bytes");
		};
	}

}
