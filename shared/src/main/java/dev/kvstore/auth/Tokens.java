package dev.kvstore.auth;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.security.Key;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import javax.crypto.SecretKey;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.ExpiredJwtException;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.Jws;
import io.jsonwebtoken.JwtBuilder;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.LocatorAdapter;
import io.jsonwebtoken.ProtectedHeader;
import io.jsonwebtoken.security.Keys;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import dev.kvstore.auth.AuthResponses.TokenPair;
import dev.kvstore.problem.ApiException;
import dev.kvstore.tenant.TenantId;

/**
 * Issues and verifies HS256 JWTs: {@code sub} is the tenant id, {@code type} tells access
 * from refresh, {@code jti}, {@code iat} and {@code exp} are always set, and a refresh
 * token names its session family ({@code fam}). A refresh token never passes as an access
 * token, nor the reverse. Verified tokens are remembered until they expire, so a client
 * that reuses its token pays for the signature check once; revocation is checked in Redis
 * on every use, not here. At most {@value #MAX_REMEMBERED} are remembered (about 1 KiB of
 * heap each), the least used forgotten first: a client that mints token after token costs
 * a bounded heap, and {@code auth_tokens_remembered} on {@code /metrics} shows how many.
 * <p>
 * Keys rotate: the header's {@code kid} names the key that signed a token (a fingerprint
 * of the key, never the key). The newest key signs; older ones still verify until they
 * are removed from the settings.
 */
public class Tokens implements MeterBinder {

	public enum Type {

		ACCESS, REFRESH;

		String claim() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

	/**
	 * A token this service signed and that has not expired; {@code family} is null for an
	 * access token.
	 */
	public record Verified(TenantId tenant, Type type, String id, String family, Instant expiresAt) {
	}

	/** A newly signed token with what the server keeps of it. */
	public record Issued(String token, String id, Instant expiresAt) {
	}

	private static final String TYPE_CLAIM = "type";

	private static final String FAMILY_CLAIM = "fam";

	private static final String ALGORITHM = "HS256";

	/** Far above any token this service issues; longer strings are refused unread. */
	private static final int MAX_TOKEN_LENGTH = 2048;

	/** Verified tokens kept: far more than one instance's clients use at once. */
	static final int MAX_REMEMBERED = 10_000;

	private final TokenSettings settings;

	private final String signingKeyId;

	private final SecretKey signingKey;

	/** Every key that verifies, by its id. */
	private final Map<String, SecretKey> keys = new LinkedHashMap<>();

	private final JwtParser parser;

	private final Clock clock;

	private final Cache<String, Verified> verified = Caffeine.newBuilder()
		.maximumSize(MAX_REMEMBERED)
		.executor(Runnable::run) // evicts on the caller's thread: the bound holds at once
		.expireAfter(Expiry
			.<String, Verified>creating((token, claims) -> Duration.between(Instant.now(), claims.expiresAt())))
		.build();

	public Tokens(TokenSettings settings) {
		this(settings, Clock.systemUTC());
	}

	Tokens(TokenSettings settings, Clock clock) {
		this.settings = settings;
		this.clock = clock;
		this.signingKeyId = keyId(settings.secret());
		this.signingKey = key(settings.secret());
		this.keys.put(this.signingKeyId, this.signingKey);
		settings.previousSecrets().forEach((previous) -> this.keys.putIfAbsent(keyId(previous), key(previous)));
		this.parser = Jwts.parser().keyLocator(new LocatorAdapter<>() {
			@Override
			protected Key locate(ProtectedHeader header) {
				// Tokens from before key ids were set name none: the signing key's.
				String id = (header.getKeyId() != null) ? header.getKeyId() : Tokens.this.signingKeyId;
				SecretKey key = Tokens.this.keys.get(id);
				if (key == null) {
					throw new ApiException.Unauthorized("token is signed with a key this service no longer has");
				}
				return key;
			}
		}).clock(() -> Date.from(clock.instant())).json(TokenJson.READER).build();
	}

	/** A new token; a refresh token starts a new session family. */
	public Issued issue(TenantId tenant, Type type) {
		return issue(tenant, type, (type == Type.REFRESH) ? UUID.randomUUID().toString() : null);
	}

	/** A new refresh token of the session family {@code family}. */
	public Issued issueRefresh(TenantId tenant, String family) {
		return issue(tenant, Type.REFRESH, family);
	}

	/**
	 * The ids and time of a refresh and an access token issued together: enough to sign
	 * the same two tokens again ({@link #pair}), so that the refresh grace window keeps
	 * these in Redis, never the tokens.
	 */
	public record PairIds(String refreshId, String accessId, Instant issuedAt) {
	}

	/** Ids for a new pair, issued now (to the second, as tokens carry it). */
	public PairIds newPairIds() {
		return new PairIds(UUID.randomUUID().toString(), UUID.randomUUID().toString(),
				this.clock.instant().truncatedTo(ChronoUnit.SECONDS));
	}

	/** When the refresh token of {@code ids} expires. */
	public Instant refreshExpiry(PairIds ids) {
		return ids.issuedAt().plus(this.settings.refreshTtl());
	}

	/**
	 * The access and refresh tokens of {@code ids} in session family {@code family}: the
	 * same strings every time (HS256 is deterministic).
	 */
	public TokenPair pair(TenantId tenant, String family, PairIds ids) {
		return new TokenPair(issue(tenant, Type.ACCESS, null, ids.accessId(), ids.issuedAt()).token(),
				issue(tenant, Type.REFRESH, family, ids.refreshId(), ids.issuedAt()).token());
	}

	private Issued issue(TenantId tenant, Type type, String family) {
		return issue(tenant, type, family, UUID.randomUUID().toString(), this.clock.instant());
	}

	private Issued issue(TenantId tenant, Type type, String family, String id, Instant now) {
		Instant expiresAt = now.plus((type == Type.ACCESS) ? this.settings.accessTtl() : this.settings.refreshTtl());
		JwtBuilder token = Jwts.builder()
			.json(TokenJson.WRITER)
			.header()
			.keyId(this.signingKeyId)
			.and()
			.subject(tenant.toString())
			.claim(TYPE_CLAIM, type.claim())
			.id(id)
			.issuedAt(Date.from(now))
			.expiration(Date.from(expiresAt));
		if (family != null) {
			token.claim(FAMILY_CLAIM, family);
		}
		return new Issued(token.signWith(this.signingKey, Jwts.SIG.HS256).compact(), id, expiresAt);
	}

	/**
	 * A key's public name: the start of a SHA-256 of it, which tells keys apart without
	 * revealing them.
	 */
	static String keyId(String secret) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256")
				.digest(("kvstore-jwt-key:" + secret).getBytes(StandardCharsets.UTF_8));
			return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 9));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static SecretKey key(String secret) {
		return Keys.hmacShaKeyFor(secret.getBytes(StandardCharsets.UTF_8));
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("auth.tokens.remembered", this.verified, Cache::estimatedSize)
			.description("Verified tokens remembered so that their signature is checked once")
			.register(registry);
	}

	/** The tenant of a valid access token; 401 for anything else. */
	public TenantId verifyAccess(String token) {
		return verify(token, Type.ACCESS).tenant();
	}

	public Verified verify(String token, Type expected) {
		if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
			throw new ApiException.Unauthorized("a valid " + expected.claim() + " token is required");
		}
		Verified claims = this.verified.getIfPresent(token);
		if (claims == null || !claims.expiresAt().isAfter(this.clock.instant())) {
			claims = parse(token);
			this.verified.put(token, claims);
		}
		if (claims.type() != expected) {
			throw new ApiException.Unauthorized("this is not an " + expected.claim() + " token");
		}
		return claims;
	}

	private Verified parse(String token) {
		try {
			Jws<Claims> jws = this.parser.parseSignedClaims(token);
			if (!ALGORITHM.equals(jws.getHeader().getAlgorithm())) {
				throw new ApiException.Unauthorized("token must be signed with " + ALGORITHM);
			}
			Claims claims = jws.getPayload();
			Type type = switch (String.valueOf(claims.get(TYPE_CLAIM))) {
				case "access" -> Type.ACCESS;
				case "refresh" -> Type.REFRESH;
				default -> throw new ApiException.Unauthorized("token has no valid type");
			};
			String family = (type == Type.REFRESH) ? claims.get(FAMILY_CLAIM, String.class) : null;
			if (claims.getSubject() == null || claims.getId() == null || claims.getExpiration() == null
					|| claims.getIssuedAt() == null || (type == Type.REFRESH && family == null)) {
				throw new ApiException.Unauthorized("token lacks required claims");
			}
			return new Verified(TenantId.parse(claims.getSubject()), type, claims.getId(), family,
					claims.getExpiration().toInstant());
		}
		catch (ApiException.Unauthorized ex) {
			throw ex;
		}
		catch (ExpiredJwtException ex) {
			throw new ApiException.Unauthorized("token has expired");
		}
		catch (JwtException | IllegalArgumentException ex) {
			throw new ApiException.Unauthorized("token is invalid");
		}
	}

}
