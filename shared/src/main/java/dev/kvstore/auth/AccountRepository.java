package dev.kvstore.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import dev.kvstore.problem.ApiException;
import dev.kvstore.redis.LuaScripts;
import dev.kvstore.redis.RedisKeys;
import dev.kvstore.tenant.TenantId;

/**
 * Accounts and their sessions (refresh token families) in Redis. Usernames and emails are
 * unique, also under concurrent registration: one script reserves both names or neither.
 * A registration writes its account (inactive, expiring) before it reserves the names and
 * activates it after, so a crash anywhere leaves nothing held: a name whose account does
 * not exist belongs to nobody and is taken back by the next registration that wants it.
 */
public class AccountRepository {

	private static final RedisScript<List<String>> RESERVE = script("reserve.lua");

	private static final RedisScript<List<String>> RELEASE = script("release.lua");

	private static final RedisScript<List<String>> STAGE = script("stage.lua");

	private static final RedisScript<List<String>> FINISH = script("finish.lua");

	private static final RedisScript<List<String>> CHANGE = script("change.lua");

	/** How long a registration may take between writing its account and finishing it. */
	private static final Duration STAGED = Duration.ofMinutes(5);

	private static final RedisScript<List<String>> OPEN = LuaScripts.load(AccountRepository.class, LuaScripts.CLOCK,
			"open.lua");

	private static final RedisScript<List<String>> ROTATE = LuaScripts.load(AccountRepository.class, LuaScripts.CLOCK,
			"rotate.lua");

	private final StringRedisTemplate redis;

	public AccountRepository(StringRedisTemplate redis) {
		this.redis = redis;
	}

	/** Stores a new account; 409 naming the field when the username or email is taken. */
	public void create(Account account) {
		String key = RedisKeys.account(account.tenant());
		this.redis.execute(STAGE, List.of(key), Long.toString(STAGED.toMillis()), "username", account.username(),
				"email", account.email(), "password", account.passwordHash(), "created",
				Long.toString(account.createdAt().toEpochMilli()));
		List<String> names = List.of(RedisKeys.username(account.username()), RedisKeys.email(account.email()));
		List<String> reply = this.redis.execute(RESERVE, names, account.tenant().toString());
		if ("taken".equals(reply.getFirst()) && takeBackAbandoned(names)) {
			reply = this.redis.execute(RESERVE, names, account.tenant().toString());
		}
		if ("taken".equals(reply.getFirst())) {
			this.redis.delete(key);
			List<String> taken = reply.subList(1, reply.size());
			throw new ApiException.Conflict(String.join(" and ", taken) + " already registered");
		}
		if ("gone".equals(this.redis.execute(FINISH, List.of(key), account.active() ? "1" : "0").getFirst())) {
			release(account.tenant(), names.toArray(String[]::new));
			throw new ApiException.Unavailable("the registration took too long; try again");
		}
	}

	/**
	 * Frees the names whose account does not exist (a registration that stopped
	 * half-way); whether it freed any.
	 */
	private boolean takeBackAbandoned(List<String> names) {
		boolean freed = false;
		for (String name : names) {
			String owner = this.redis.opsForValue().get(name);
			if (owner != null && !Boolean.TRUE.equals(this.redis.hasKey(RedisKeys.account(TenantId.parse(owner))))) {
				release(TenantId.parse(owner), name);
				freed = true;
			}
		}
		return freed;
	}

	/** Whether the tenant's account exists and is active: one field read. */
	public boolean isActive(TenantId tenant) {
		return "1".equals(this.redis.opsForHash().get(RedisKeys.account(tenant), "active"));
	}

	public Optional<Account> find(TenantId tenant) {
		Map<Object, Object> fields = this.redis.opsForHash().entries(RedisKeys.account(tenant));
		if (fields.isEmpty()) {
			return Optional.empty();
		}
		return Optional.of(new Account(tenant, (String) fields.get("username"), (String) fields.get("email"),
				(String) fields.get("password"), "1".equals(fields.get("active")),
				Instant.ofEpochMilli(Long.parseLong((String) fields.get("created")))));
	}

	public Optional<Account> findByUsername(String username) {
		String tenant = this.redis.opsForValue().get(RedisKeys.username(username));
		return (tenant != null) ? find(TenantId.parse(tenant)) : Optional.empty();
	}

	/**
	 * Moves the account to a new email; 409 when another account has it or the password
	 * changed since {@code account} was read (it was checked against that one), 401 when
	 * the account is gone.
	 */
	public void changeEmail(Account account, String email) {
		if (email.equalsIgnoreCase(account.email())) {
			change(account, List.of(), "email", email);
			return;
		}
		String reservation = RedisKeys.email(email);
		Boolean reserved = this.redis.opsForValue().setIfAbsent(reservation, account.tenant().toString());
		// A reservation of this tenant's own is one an earlier try left (a timeout, a
		// crash).
		if (!Boolean.TRUE.equals(reserved)
				&& !account.tenant().toString().equals(this.redis.opsForValue().get(reservation))) {
			throw new ApiException.Conflict("email already registered");
		}
		try {
			change(account, List.of(), "email", email);
		}
		catch (ApiException.Unauthorized | ApiException.Conflict refused) {
			release(account.tenant(), reservation);
			throw refused;
		}
		release(account.tenant(), RedisKeys.email(account.email()));
	}

	/**
	 * Sets a new password hash and ends every session of the account; 409 when the
	 * password changed since {@code account} was read, 401 when the account is gone.
	 */
	public void changePassword(Account account, String passwordHash) {
		change(account, sessionKeys(account.tenant()), "password", passwordHash);
	}

	private void change(Account account, List<String> alsoDelete, String field, String value) {
		List<String> keys = new ArrayList<>(1 + alsoDelete.size());
		keys.add(RedisKeys.account(account.tenant()));
		keys.addAll(alsoDelete);
		switch (this.redis.execute(CHANGE, keys, field, value, account.passwordHash()).getFirst()) {
			case "gone" -> throw new ApiException.Unauthorized("the account of this token no longer exists");
			case "stale" -> throw new ApiException.Conflict("the password changed meanwhile; try again");
			default -> {
			}
		}
	}

	/**
	 * Removes the account and its names; its tokens stop working at once. Entries go
	 * separately.
	 */
	public void delete(Account account) {
		this.redis.delete(RedisKeys.account(account.tenant()));
		release(account.tenant(), RedisKeys.username(account.username()), RedisKeys.email(account.email()));
	}

	/**
	 * Starts a session family whose first refresh token is {@code id}, if the account is
	 * active and its password hash still the one the caller was checked against; 401 if
	 * not (a login that raced a password change or the account's deletion).
	 */
	public void openSession(TenantId tenant, String passwordHash, String family, String id, Instant expiresAt) {
		List<String> keys = List.of(RedisKeys.sessionFamilies(tenant), RedisKeys.currentRefreshTokens(tenant),
				RedisKeys.account(tenant));
		if ("stale"
			.equals(this.redis.execute(OPEN, keys, family, id, Long.toString(expiresAt.toEpochMilli()), passwordHash)
				.getFirst())) {
			throw new ApiException.Unauthorized("incorrect username or password");
		}
	}

	/** What became of a refresh token presented for rotation. */
	public enum Rotation {

		/** It was its family's live token; {@code next} is now. */
		ROTATED,
		/**
		 * It was replaced within the grace window: the answer is the pair that replaced
		 * it.
		 */
		REPEATED,
		/** The account is gone or inactive. */
		ACCOUNT_GONE,
		/** Its family ended: logged out, revoked, expired or password changed. */
		REVOKED,
		/** It had been used already: its family is revoked now. */
		REUSED

	}

	/**
	 * What became of a refresh token presented for rotation.
	 *
	 * @param outcome what happened
	 * @param next the pair to answer with: {@code next} when rotated, the pair that
	 * replaced the token when repeated, else null
	 */
	public record Renewal(Rotation outcome, Tokens.PairIds next) {
	}

	/**
	 * Replaces the live refresh token {@code id} of a family with the refresh token of
	 * {@code next}, which expires at {@code expiresAt}. The token it replaced, presented
	 * again within {@code grace}, gets the same {@code next}; any other token of the
	 * family revokes it (reuse detection).
	 */
	public Renewal rotateSession(TenantId tenant, String family, String id, Tokens.PairIds next, Instant expiresAt,
			Duration grace) {
		List<String> keys = List.of(RedisKeys.account(tenant), RedisKeys.sessionFamilies(tenant),
				RedisKeys.currentRefreshTokens(tenant), RedisKeys.lastRotation(tenant, family));
		List<String> reply = this.redis.execute(ROTATE, keys, family, id, next.refreshId(),
				Long.toString(expiresAt.toEpochMilli()), next.accessId(), Long.toString(next.issuedAt().toEpochMilli()),
				Long.toString(grace.toMillis()));
		return switch (reply.getFirst()) {
			case "ok" -> new Renewal(Rotation.ROTATED, next);
			case "again" -> new Renewal(Rotation.REPEATED,
					new Tokens.PairIds(reply.get(1), reply.get(2), Instant.ofEpochMilli(Long.parseLong(reply.get(3)))));
			case "gone" -> new Renewal(Rotation.ACCOUNT_GONE, null);
			case "reused" -> new Renewal(Rotation.REUSED, null);
			default -> new Renewal(Rotation.REVOKED, null);
		};
	}

	/** Ends a session family: none of its refresh tokens works any more. */
	public void closeSession(TenantId tenant, String family) {
		this.redis.opsForZSet().remove(RedisKeys.sessionFamilies(tenant), family);
		this.redis.opsForHash().delete(RedisKeys.currentRefreshTokens(tenant), family);
	}

	private static List<String> sessionKeys(TenantId tenant) {
		return List.of(RedisKeys.sessionFamilies(tenant), RedisKeys.currentRefreshTokens(tenant));
	}

	private void release(TenantId tenant, String... nameKeys) {
		this.redis.execute(RELEASE, List.of(nameKeys), tenant.toString());
	}

	private static RedisScript<List<String>> script(String name) {
		return LuaScripts.load(AccountRepository.class, name);
	}

}
