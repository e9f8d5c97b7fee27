package dev.kvstore.auth;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Locale;
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
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;

import dev.kvstore.problem.ApiException;
import dev.kvstore.tenant.TenantId;

/**
 * Issues and verifies HS256 JWTs: {@code sub} is the tenant id, {@code type} tells access
 * from refresh, {@code jti}, {@code iat} and {@code exp} are always set. A refresh token
 * never passes as an access token, nor the reverse. Verified tokens are remembered until
 * they expire, so a client that reuses its token pays for the signature check once;
 * revocation is checked in Redis on every use, not here.
 */
public class Tokens {

	public enum Type {

		ACCESS, REFRESH;

		String claim() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

	/** A token this service signed and that has not expired. */
	public record Verified(TenantId tenant, Type type, String id, Instant expiresAt) {
	}

	/** A newly signed token with what the server keeps of it. */
	public record Issued(String token, String id, Instant expiresAt) {
	}

	private static final String TYPE_CLAIM = "type";

	private static final String ALGORITHM = "HS256";

	/** Far above any token this service issues; longer strings are refused unread. */
	private static final int MAX_TOKEN_LENGTH = 2048;

	private final TokenSettings settings;

	private final SecretKey key;

	private final JwtParser parser;

	private final Clock clock;

	private final Cache<String, Verified> verified = Caffeine.newBuilder()
		.maximumSize(100_000)
		.expireAfter(Expiry
			.<String, Verified>creating((token, claims) -> Duration.between(Instant.now(), claims.expiresAt())))
		.build();

	public Tokens(TokenSettings settings) {
		this(settings, Clock.systemUTC());
	}

	Tokens(TokenSettings settings, Clock clock) {
		this.settings = settings;
		this.clock = clock;
		this.key = Keys.hmacShaKeyFor(settings.secret().getBytes(StandardCharsets.UTF_8));
		this.parser = Jwts.parser().verifyWith(this.key).clock(() -> Date.from(clock.instant())).build();
	}

	public Issued issue(TenantId tenant, Type type) {
		Instant now = this.clock.instant();
		Instant expiresAt = now.plus((type == Type.ACCESS) ? this.settings.accessTtl() : this.settings.refreshTtl());
		String id = UUID.randomUUID().toString();
		String token = Jwts.builder()
			.subject(tenant.toString())
			.claim(TYPE_CLAIM, type.claim())
			.id(id)
			.issuedAt(Date.from(now))
			.expiration(Date.from(expiresAt))
			.signWith(this.key, Jwts.SIG.HS256)
			.compact();
		return new Issued(token, id, expiresAt);
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
			if (claims.getSubject() == null || claims.getId() == null || claims.getExpiration() == null
					|| claims.getIssuedAt() == null) {
				throw new ApiException.Unauthorized("token lacks required claims");
			}
			return new Verified(TenantId.parse(claims.getSubject()), type, claims.getId(),
					claims.getExpiration().toInstant());
		}
		catch (ExpiredJwtException ex) {
			throw new ApiException.Unauthorized("token has expired");
		}
		catch (JwtException | IllegalArgumentException ex) {
			throw new ApiException.Unauthorized("token is invalid");
		}
	}

}
