package dev.kvstore.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import dev.kvstore.auth.AuthResponses.TokenPair;
import dev.kvstore.problem.ApiException;
import dev.kvstore.redis.LuaScripts;
import dev.kvstore.redis.RedisKeys;
import dev.kvstore.tenant.TenantId;

/**
 * Accounts and their sessions (refresh token families) in Redis. Usernames and emails are
 * unique, also under concurrent registration: one script reserves both names or neither.
 */
public class AccountRepository {

	private static final RedisScript<List<String>> RESERVE = script("reserve.lua");

	private static final RedisScript<List<String>> RELEASE = script("release.lua");

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
		List<String> reply = this.redis.execute(RESERVE,
				List.of(RedisKeys.username(account.username()), RedisKeys.email(account.email())),
				account.tenant().toString());
		if ("taken".equals(reply.getFirst())) {
			List<String> taken = reply.subList(1, reply.size());
			throw new ApiException.Conflict(String.join(" and ", taken) + " already registered");
		}
		this.redis.opsForHash()
			.putAll(RedisKeys.account(account.tenant()),
					Map.of("username", account.username(), "email", account.email(), "password", account.passwordHash(),
							"active", account.active() ? "1" : "0", "created",
							Long.toString(account.createdAt().toEpochMilli())));
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

	/** Moves the account to a new email; 409 when another account has it. */
	public void changeEmail(Account account, String email) {
		if (email.equalsIgnoreCase(account.email())) {
			this.redis.opsForHash().put(RedisKeys.account(account.tenant()), "email", email);
			return;
		}
		Boolean reserved = this.redis.opsForValue().setIfAbsent(RedisKeys.email(email), account.tenant().toString());
		if (!Boolean.TRUE.equals(reserved)) {
			throw new ApiException.Conflict("email already registered");
		}
		this.redis.opsForHash().put(RedisKeys.account(account.tenant()), "email", email);
		release(account.tenant(), RedisKeys.email(account.email()));
	}

	/** Sets a new password hash and ends every session of the account. */
	public void changePassword(TenantId tenant, String passwordHash) {
		this.redis.opsForHash().put(RedisKeys.account(tenant), "password", passwordHash);
		this.redis.delete(sessionKeys(tenant));
	}

	/**
	 * Removes the account and its names; its tokens stop working at once. Entries go
	 * separately.
	 */
	public void delete(Account account) {
		this.redis.delete(RedisKeys.account(account.tenant()));
		release(account.tenant(), RedisKeys.username(account.username()), RedisKeys.email(account.email()));
	}

	/** Starts a session family whose first refresh token is {@code id}. */
	public void openSession(TenantId tenant, String family, String id, Instant expiresAt) {
		this.redis.execute(OPEN, sessionKeys(tenant), family, id, Long.toString(expiresAt.toEpochMilli()));
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
	 * @param pair the pair to answer with: {@code next} when rotated, the pair that
	 * replaced the token when repeated, else null
	 */
	public record Renewal(Rotation outcome, TokenPair pair) {
	}

	/**
	 * Replaces the live refresh token {@code id} of a family with {@code next} (whose
	 * refresh token has the id {@code nextId}). The token it replaced, presented again
	 * within {@code grace}, gets the same {@code next}; any other token of the family
	 * revokes it (reuse detection).
	 */
	public Renewal rotateSession(TenantId tenant, String family, String id, String nextId, Instant expiresAt,
			TokenPair next, Duration grace) {
		List<String> keys = List.of(RedisKeys.account(tenant), RedisKeys.sessionFamilies(tenant),
				RedisKeys.currentRefreshTokens(tenant), RedisKeys.lastRotation(tenant, family));
		List<String> reply = this.redis.execute(ROTATE, keys, family, id, nextId,
				Long.toString(expiresAt.toEpochMilli()), next.refreshToken(), next.accessToken(),
				Long.toString(grace.toMillis()));
		return switch (reply.getFirst()) {
			case "ok" -> new Renewal(Rotation.ROTATED, next);
			case "again" -> new Renewal(Rotation.REPEATED, new TokenPair(reply.get(2), reply.get(1)));
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
