package dev.kvstore.auth;

import java.time.Duration;
import java.util.UUID;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.kvstore.audit.AuditEvent.Operation;
import dev.kvstore.audit.AuditTrail;
import dev.kvstore.auth.AuthResponses.TokenPair;
import dev.kvstore.problem.ApiException;
import dev.kvstore.tenant.Caller;
import dev.kvstore.tenant.TenantId;

/**
 * Opens a session (an access and a refresh token), renews it, and closes it. Each refresh
 * rotates the refresh token: the family keeps one live token, and presenting a used one
 * (a stolen copy, or the original after the thief refreshed) revokes the family, so both
 * holders must log in again. The one exception is the grace window: the token just
 * replaced, presented again within it (two tabs refreshing at once, a retry after a lost
 * answer), gets the same next pair.
 */
public class Sessions {

	private static final Log logger = LogFactory.getLog(Sessions.class);

	private final Tokens tokens;

	private final AccountRepository accounts;

	private final AuditTrail audit;

	private final Duration reuseGrace;

	/**
	 * @param reuseGrace how long the refresh token just replaced still gets the pair that
	 * replaced it (REFRESH_REUSE_GRACE_SECONDS; zero: never)
	 */
	public Sessions(Tokens tokens, AccountRepository accounts, AuditTrail audit, Duration reuseGrace) {
		if (reuseGrace.isNegative()) {
			throw new IllegalArgumentException("REFRESH_REUSE_GRACE_SECONDS must be 0 or positive");
		}
		this.tokens = tokens;
		this.accounts = accounts;
		this.audit = audit;
		this.reuseGrace = reuseGrace;
	}

	/**
	 * A session for an account whose password was just checked against (or set to)
	 * {@code account}'s hash; 401 if that hash changed meanwhile or the account is gone.
	 */
	public TokenPair open(Account account) {
		TenantId tenant = account.tenant();
		String family = UUID.randomUUID().toString();
		Tokens.Issued refresh = this.tokens.issueRefresh(tenant, family);
		this.accounts.openSession(tenant, account.passwordHash(), family, refresh.id(), refresh.expiresAt());
		return new TokenPair(this.tokens.issue(tenant, Tokens.Type.ACCESS).token(), refresh.token());
	}

	/**
	 * A new access token and the family's next refresh token (the same pair again for the
	 * token just replaced, within the grace window); 401 when the refresh token is
	 * revoked, used already (which revokes its family) or the account is gone.
	 */
	public TokenPair renew(Caller caller, String refreshToken) {
		Tokens.Verified refresh = this.tokens.verify(refreshToken, Tokens.Type.REFRESH);
		Tokens.PairIds next = this.tokens.newPairIds();
		Caller owner = caller.as(refresh.tenant());
		AccountRepository.Renewal renewal = this.accounts.rotateSession(refresh.tenant(), refresh.family(),
				refresh.id(), next, this.tokens.refreshExpiry(next), this.reuseGrace);
		switch (renewal.outcome()) {
			case ROTATED, REPEATED -> {
				this.audit.success(owner, Operation.REFRESH);
				return this.tokens.pair(refresh.tenant(), refresh.family(), renewal.next());
			}
			case REUSED -> {
				logger.warn("a used refresh token of tenant " + refresh.tenant()
						+ " was presented again; its session family is revoked");
				this.audit.failure(owner, Operation.REFRESH_REUSE);
				throw new ApiException.Unauthorized(
						"refresh token was already used; the session is revoked, log in again");
			}
			default -> {
				this.audit.failure(owner, Operation.REFRESH);
				throw new ApiException.Unauthorized("refresh token has been revoked");
			}
		}
	}

	/** Ends the refresh token's session family. */
	public void close(Caller caller, String refreshToken) {
		Tokens.Verified refresh = this.tokens.verify(refreshToken, Tokens.Type.REFRESH);
		this.accounts.closeSession(refresh.tenant(), refresh.family());
		this.audit.success(caller.as(refresh.tenant()), Operation.LOGOUT);
	}

}
