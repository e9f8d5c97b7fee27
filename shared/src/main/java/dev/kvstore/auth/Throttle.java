package dev.kvstore.auth;

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
 * wipe the count of guesses at others'. Callers without a client address share one,
 * {@code unknown}: a missing address never skips a limit.
 */
public class Throttle {

	private static final RedisScript<List<String>> ATTEMPT = LuaScripts.load(Throttle.class, "attempt.lua");

	private static final RedisScript<List<String>> FORGIVE = LuaScripts.load(Throttle.class, "forgive.lua");

	/** The address of callers that have none (outside a request). */
	static final String UNKNOWN_ADDRESS = "unknown";

	private final StringRedisTemplate redis;

	private final ThrottleSettings settings;

	public Throttle(StringRedisTemplate redis, ThrottleSettings settings) {
		this.redis = redis;
		this.settings = settings;
	}

	/** A password check that has been counted; tell it when it succeeds. */
	public final class PasswordAttempt {

		private final String user;

		private final String address;

		private PasswordAttempt(String user, String address) {
			this.user = user;
			this.address = address;
		}

		public void succeeded() {
			Throttle.this.redis.delete(this.user);
			forgive(RedisKeys.loginAttemptsFrom(this.address));
		}

	}

	/**
	 * Counts a password check for {@code username} from {@code address}; 429 when that
	 * username has used up its failures from that address, or the address its failures
	 * over all usernames, for the window.
	 */
	public PasswordAttempt passwordAttempt(String username, String address) {
		address = known(address);
		String user = RedisKeys.loginAttemptsOfUser(username, address);
		count(user, this.settings.loginFailuresPerUser(), this.settings.loginWindow(), "login_failures_per_user",
				"too many failed logins for this username");
		try {
			count(RedisKeys.loginAttemptsFrom(address), this.settings.loginFailuresPerAddress(),
					this.settings.loginWindow(), "login_failures_per_address",
					"too many failed logins from this address");
		}
		catch (ApiException.RateLimited ex) {
			forgive(user);
			throw ex;
		}
		return new PasswordAttempt(user, address);
	}

	/** Counts a registration from {@code address}; 429 when it has used up its window. */
	public void registration(String address) {
		count(RedisKeys.registrationsFrom(known(address)), this.settings.registrationsPerAddress(),
				this.settings.registrationWindow(), "registrations_per_address",
				"too many registrations from this address");
	}

	/**
	 * Callers without an address share one: a missing address never skips a limit.
	 */
	private static String known(String address) {
		return (address == null || address.isEmpty()) ? UNKNOWN_ADDRESS : address;
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
