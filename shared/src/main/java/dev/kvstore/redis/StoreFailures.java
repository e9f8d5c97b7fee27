package dev.kvstore.redis;

import java.io.IOException;
import java.util.Set;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;

import dev.kvstore.problem.ApiException;

/**
 * Tells a Redis failure a client should retry (Redis down, restarting, loading its data,
 * failing over, too slow, full) from a fault of ours (a script error, a wrong type).
 */
public final class StoreFailures {

	/**
	 * Error replies Redis gives while it cannot serve for a while: a restart loading the
	 * AOF, a cluster that lost a master, a replica promoted, a slot moving.
	 */
	private static final Set<String> TRANSIENT_REPLIES = Set.of("LOADING", "BUSY", "CLUSTERDOWN", "TRYAGAIN",
			"MASTERDOWN", "READONLY");

	private StoreFailures() {
	}

	/**
	 * The 503 a client should see for {@code failure}, or {@code null} when it is ours.
	 */
	public static ApiException.Unavailable unavailable(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof DataAccessResourceFailureException) {
				return new ApiException.Unavailable("the store cannot be reached");
			}
			if (cause instanceof QueryTimeoutException) {
				return new ApiException.Unavailable("the store did not answer in time");
			}
			if (cause instanceof RedisCommandExecutionException reply) {
				if (replyCode(reply).equals("OOM")) {
					return new ApiException.Unavailable("the store is full; try again later");
				}
				return isTransient(reply) ? new ApiException.Unavailable("the store is not ready") : null;
			}
			if (cause.getClass() == RedisException.class || cause instanceof IOException) {
				// Lettuce's own: not connected (commands are rejected while it
				// reconnects),
				// or the connection closed under a command.
				return new ApiException.Unavailable("the store cannot be reached");
			}
		}
		return null;
	}

	private static boolean isTransient(RedisCommandExecutionException reply) {
		return TRANSIENT_REPLIES.contains(replyCode(reply));
	}

	/** The error reply's first word: {@code LOADING}, {@code OOM}, {@code ERR}. */
	private static String replyCode(RedisCommandExecutionException reply) {
		String message = String.valueOf(reply.getMessage());
		int end = message.indexOf(' ');
		return (end < 0) ? message : message.substring(0, end);
	}

}
