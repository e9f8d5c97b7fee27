package dev.kvstore.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import dev.kvstore.auth.ApiKeyRequests.ApiKeyView;
import dev.kvstore.auth.ApiKeyRequests.NewApiKey;
import dev.kvstore.json.ApiJson;
import dev.kvstore.problem.ApiException;
import dev.kvstore.redis.AsyncScripts;
import dev.kvstore.redis.LuaScripts;
import dev.kvstore.redis.RedisKeys;
import dev.kvstore.tenant.Grant;
import dev.kvstore.tenant.TenantId;

/**
 * A tenant's API keys: credentials for programs, each scoped to reading or to reading and
 * writing, and optionally to the keys under a prefix. A key is
 * {@code kvs_<tenant>_<id>_<secret>}; only its secret's SHA-256 is stored (the secret is
 * 256 random bits: a fast hash is enough), in the tenant's {@code apikeys} hash, so that
 * checking one is a single script in the tenant's slot that also refuses it once the
 * account is gone. Revoking removes it: the next request with it gets 401.
 */
public class ApiKeys {

	/** What every key starts with; a bearer value that does is an API key, not a JWT. */
	public static final String PREFIX = "kvs_";

	private static final RedisScript<List<String>> VERIFY = LuaScripts.load(ApiKeys.class, "apikey.lua");

	private static final RedisScript<List<String>> ADD = LuaScripts.load(ApiKeys.class, "apikey_add.lua");

	private static final Pattern TENANT = Pattern
		.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

	private static final Pattern ID = Pattern.compile("[0-9a-f]{16}");

	private static final JsonMapper json = ApiJson.mapper();

	private static final SecureRandom random = new SecureRandom();

	private final AsyncScripts scripts;

	private final StringRedisTemplate redis;

	private final int maxPerTenant;

	/** A stored key: what it may do and until when; {@code hash} is its secret's. */
	record Stored(String hash, String name, List<String> scopes, String prefix, long created, @Nullable Long expires) {

		ApiKeyView view(String id) {
			return new ApiKeyView(id, this.name, this.scopes, this.prefix, Instant.ofEpochMilli(this.created),
					(this.expires != null) ? Instant.ofEpochMilli(this.expires) : null);
		}

	}

	/** A verified key: its tenant and what it may do there. */
	public record Verified(TenantId tenant, Grant grant) {
	}

	public ApiKeys(AsyncScripts scripts, StringRedisTemplate redis, int maxPerTenant) {
		this.scripts = scripts;
		this.redis = redis;
		this.maxPerTenant = maxPerTenant;
	}

	/**
	 * The tenant and grant of a presented key.
	 * @throws ApiException.Unauthorized (in the Mono) for a key that is malformed,
	 * unknown, revoked or expired, or whose account is gone
	 */
	public Mono<Verified> verify(String presented) {
		String[] parts = presented.startsWith(PREFIX) ? presented.substring(PREFIX.length()).split("_", 3)
				: new String[0];
		if (parts.length != 3 || !TENANT.matcher(parts[0]).matches() || !ID.matcher(parts[1]).matches()) {
			return Mono.error(invalid());
		}
		TenantId tenant = TenantId.parse(parts[0]);
		String id = parts[1];
		String secretHash = sha256(parts[2]);
		return this.scripts.run(VERIFY, List.of(RedisKeys.account(tenant), RedisKeys.apiKeys(tenant)), List.of(id))
			.map((reply) -> {
				if (!"ok".equals(reply.getFirst())) {
					throw invalid();
				}
				Stored key = json.readValue(reply.get(1), Stored.class);
				boolean secretMatches = MessageDigest.isEqual(key.hash().getBytes(StandardCharsets.US_ASCII),
						secretHash.getBytes(StandardCharsets.US_ASCII));
				if (!secretMatches || (key.expires() != null && key.expires() <= System.currentTimeMillis())) {
					throw invalid();
				}
				return new Verified(tenant, new Grant(id, key.scopes().contains("write"), key.prefix()));
			});
	}

	/**
	 * A new key; its secret is in the answer only.
	 * @throws ApiException.QuotaExceeded when the tenant holds its most keys already
	 */
	public ApiKeyRequests.ApiKeyCreated create(TenantId tenant, NewApiKey request) {
		String id = HexFormat.of().formatHex(randomBytes(8));
		String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(32));
		long now = System.currentTimeMillis();
		Long expires = (request.expiresIn() != null) ? now + request.expiresIn() * 1000 : null;
		Stored stored = new Stored(sha256(secret), request.name(), request.scopes(), request.prefix(), now, expires);
		List<String> reply = this.redis.execute(ADD, List.of(RedisKeys.account(tenant), RedisKeys.apiKeys(tenant)), id,
				json.writeValueAsString(stored), Integer.toString(this.maxPerTenant), Long.toString(now));
		switch (reply.getFirst()) {
			case "ok" -> {
			}
			case "full" -> throw new ApiException.QuotaExceeded(
					"this tenant may hold at most " + this.maxPerTenant + " API keys", "tenant_max_api_keys");
			default -> throw new ApiException.Unauthorized("the account of this token no longer exists or is inactive");
		}
		ApiKeyView view = stored.view(id);
		return new ApiKeyRequests.ApiKeyCreated(id, view.name(), PREFIX + tenant + "_" + id + "_" + secret,
				view.scopes(), view.prefix(), view.createdAt(), view.expiresAt());
	}

	/** The tenant's keys, oldest first, without their secrets. */
	public List<ApiKeyView> list(TenantId tenant) {
		Map<Object, Object> stored = this.redis.opsForHash().entries(RedisKeys.apiKeys(tenant));
		List<ApiKeyView> views = new ArrayList<>(stored.size());
		stored.forEach((id, record) -> views.add(json.readValue((String) record, Stored.class).view((String) id)));
		views.sort((a, b) -> a.createdAt().compareTo(b.createdAt()));
		return views;
	}

	/**
	 * Revokes a key at once.
	 * @throws ApiException.NotFound when the tenant has no such key
	 */
	public void revoke(TenantId tenant, String id) {
		if (this.redis.opsForHash().delete(RedisKeys.apiKeys(tenant), id) == 0) {
			throw new ApiException.NotFound("no API key " + id);
		}
	}

	private static ApiException invalid() {
		return new ApiException.Unauthorized("the API key is not valid (malformed, unknown, revoked or expired)");
	}

	private static byte[] randomBytes(int count) {
		byte[] bytes = new byte[count];
		random.nextBytes(bytes);
		return bytes;
	}

	private static String sha256(String secret) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
