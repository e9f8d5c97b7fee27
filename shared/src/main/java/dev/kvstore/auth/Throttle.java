package dev.kvstore.auth;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import dev.kvstore.problem.ApiException;
import dev.kvstore.redis.LuaScripts;
import dev.kvstore.redis.RedisKeys;

/**
 * Slows down password guessing and mass registration, with counters in Redis shared by
 * every app instance. A password check (a login, or the current password that
 * {@code PUT /auth/me} asks for) is counted before the password is checked, so a burst of
 * parallel guesses cannot slip past the limit, and taken back when it succeeds.
 * <p>
 * Failures are counted per username <em>and client address</em>, and per address: a
 * stranger who guesses at a username uses up only their own address's count for it, so
 * the owner logging in from their own address is never locked out by strangers. A success
 * clears its (username, address) failures, and its address's count drops by the one
 * attempt; the address's other failures stay, so one account of an attacker's own cannot
 * wipe the count of guesses at others'. Over all addresses a username has a higher
 * ceiling (100 failures per window): past it, only addresses it logged in from in the
 * last 30 days may try, so many addresses together cannot guess without end and the owner
 * is still not locked out. An IPv6 client counts as its /64 network; callers without an
 * address share one, {@code unknown}: a missing address never skips a limit.
 */
public class Throttle {

	private static final RedisScript<List<String>> ATTEMPT = LuaScripts.load(Throttle.class, "attempt.lua");

	private static final RedisScript<List<String>> FORGIVE = LuaScripts.load(Throttle.class, "forgive.lua");

	/** The address of callers that have none (outside a request). */
	static final String UNKNOWN_ADDRESS = "unknown";

	/** How long an address a username logged in from stays known. */
	private static final Duration KNOWN_ADDRESSES_KEPT = Duration.ofDays(30);

	private final StringRedisTemplate redis;

	private final ThrottleSettings settings;

	public Throttle(StringRedisTemplate redis, ThrottleSettings settings) {
		this.redis = redis;
		this.settings = settings;
	}

	/** A password check that has been counted; tell it when it succeeds. */
	public final class PasswordAttempt {

		private final String username;

		private final String address;

		/** Whether it counted against the username's ceiling over all addresses. */
		private final boolean countedForUsername;

		private PasswordAttempt(String username, String address, boolean countedForUsername) {
			this.username = username;
			this.address = address;
			this.countedForUsername = countedForUsername;
		}

		/** Clears this address's failures for the username and remembers the address. */
		public void succeeded() {
			Throttle.this.redis.delete(RedisKeys.loginAttemptsOfUser(this.username, this.address));
			forgive(RedisKeys.loginAttemptsFrom(this.address));
			if (this.countedForUsername) {
				forgive(RedisKeys.loginAttemptsOfUser(this.username));
			}
			String known = RedisKeys.loginAddressesOfUser(this.username);
			Throttle.this.redis.opsForSet().add(known, this.address);
			Throttle.this.redis.expire(known, KNOWN_ADDRESSES_KEPT);
		}

	}

	/**
	 * Counts a password check for {@code username} from {@code address}; 429 when that
	 * username has used up its failures from that address, the address its failures over
	 * all usernames, or the username its failures over all addresses and the address is
	 * not one it logged in from, for the window.
	 */
	public PasswordAttempt passwordAttempt(String username, String address) {
		address = client(address);
		String userFromAddress = RedisKeys.loginAttemptsOfUser(username, address);
		String fromAddress = RedisKeys.loginAttemptsFrom(address);
		count(userFromAddress, this.settings.loginFailuresPerUser(), this.settings.loginWindow(),
				"login_failures_per_user", "too many failed logins for this username");
		try {
			count(fromAddress, this.settings.loginFailuresPerAddress(), this.settings.loginWindow(),
					"login_failures_per_address", "too many failed logins from this address");
		}
		catch (ApiException.RateLimited ex) {
			forgive(userFromAddress);
			throw ex;
		}
		try {
			count(RedisKeys.loginAttemptsOfUser(username), this.settings.loginFailuresPerUserFromNewAddresses(),
					this.settings.loginWindow(), "login_failures_per_user_total",
					"too many failed logins for this username from new addresses");
		}
		catch (ApiException.RateLimited ex) {
			if (!Boolean.TRUE
				.equals(this.redis.opsForSet().isMember(RedisKeys.loginAddressesOfUser(username), address))) {
				forgive(userFromAddress);
				forgive(fromAddress);
				throw ex;
			}
			return new PasswordAttempt(username, address, false);
		}
		return new PasswordAttempt(username, address, true);
	}

	/** Counts a registration from {@code address}; 429 when it has used up its window. */
	public void registration(String address) {
		count(RedisKeys.registrationsFrom(client(address)), this.settings.registrationsPerAddress(),
				this.settings.registrationWindow(), "registrations_per_address",
				"too many registrations from this address");
	}

	/**
	 * The client a limit counts: an IPv4 address, an IPv6 address's /64 network (one host
	 * commonly holds a whole /64), or {@code unknown} for callers without an address, so
	 * a missing address never skips a limit.
	 */
	static String client(String address) {
		if (address == null || address.isEmpty()) {
			return UNKNOWN_ADDRESS;
		}
		if (address.indexOf(':') < 0) {
			return address;
		}
		try {
			// A literal (it holds ':'): checked, never looked up.
			byte[] bytes = InetAddress.getByName(address).getAddress();
			if (bytes.length != 16) {
				return address;
			}
			StringBuilder network = new StringBuilder();
			for (int i = 0; i < 8; i += 2) {
				network.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
			}
			return network.append(":/64").toString();
		}
		catch (UnknownHostException ex) {
			return address;
		}
	}

	private void count(String counter, int limit, Duration window, String name, String detail) {
		if (limit == 0) {
			return;
		}
		List<String> reply = this.redis.execute(ATTEMPT, List.of(counter), Long.toString(window.toMillis()),
				Integer.toString(limit));
		if ("full".equals(reply.getFirst())) {
			throw new ApiException.RateLimited(detail + "; try again later", name,
					Duration.ofMillis(Long.parseLong(reply.get(1))));
		}
	}

	private void forgive(String counter) {
		this.redis.execute(FORGIVE, List.of(counter));
	}

}
