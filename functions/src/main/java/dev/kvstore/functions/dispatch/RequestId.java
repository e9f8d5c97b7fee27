package dev.kvstore.functions.dispatch;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The X-Request-ID of a request: the client's when it is short and plain, else a new one.
 * Each edge chooses it once, when the request arrives, echoes it on the answer and hands
 * it to the dispatcher in the {@link ApiRequest}; from there it reaches the log line and
 * the audit events.
 */
public final class RequestId {

	public static final String HEADER = "X-Request-ID";

	private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

	/**
	 * Mixed into every id. {@link ThreadLocalRandom}'s state is in a SnapStart snapshot
	 * like everything else, so every environment restored from one would draw the same
	 * ids; {@link #reseed()} after each restore makes them differ.
	 */
	private static volatile long[] salt = newSalt();

	private RequestId() {
	}

	public static String choose(String given) {
		return (given != null && PLAIN.matcher(given).matches()) ? given : newId();
	}

	/**
	 * A random (version 4) UUID. An id names a request in logs and audit events and
	 * guards nothing, so it needs to be unique, not unguessable: it comes from
	 * {@link ThreadLocalRandom}, not from {@link UUID#randomUUID()}'s SecureRandom, which
	 * cost 2% of a no-op request's CPU.
	 */
	private static String newId() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		long[] salt = RequestId.salt;
		long high = ((random.nextLong() ^ salt[0]) & ~0xF000L) | 0x4000L;
		long low = ((random.nextLong() ^ salt[1]) & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
		return new UUID(high, low).toString();
	}

	/** Fresh entropy for the ids to come: after a restore from a snapshot. */
	public static void reseed() {
		salt = newSalt();
	}

	private static long[] newSalt() {
		SecureRandom random = new SecureRandom();
		return new long[] { random.nextLong(), random.nextLong() };
	}

}
