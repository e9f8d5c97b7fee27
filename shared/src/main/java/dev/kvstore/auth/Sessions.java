package dev.kvstore.auth;

import dev.kvstore.audit.AuditEvent.Operation;
import dev.kvstore.audit.AuditTrail;
import dev.kvstore.auth.AuthResponses.TokenPair;
import dev.kvstore.problem.ApiException;
import dev.kvstore.tenant.TenantId;

/**
 * Opens a session (an access and a refresh token), renews its access token, and closes
 * it.
 */
public class Sessions {

	private final Tokens tokens;

	private final AccountRepository accounts;

	private final AuditTrail audit;

	public Sessions(Tokens tokens, AccountRepository accounts, AuditTrail audit) {
		this.tokens = tokens;
		this.accounts = accounts;
		this.audit = audit;
	}

	public TokenPair open(TenantId tenant) {
		Tokens.Issued refresh = this.tokens.issue(tenant, Tokens.Type.REFRESH);
		this.accounts.rememberRefreshToken(tenant, refresh.id(), refresh.expiresAt());
		return new TokenPair(this.tokens.issue(tenant, Tokens.Type.ACCESS).token(), refresh.token());
	}

	/**
	 * A new access token for a live refresh token; 401 when it is revoked or the account
	 * is gone.
	 */
	public String renew(String refreshToken) {
		Tokens.Verified refresh = this.tokens.verify(refreshToken, Tokens.Type.REFRESH);
		if (!this.accounts.isRefreshTokenLive(refresh.tenant(), refresh.id())) {
			this.audit.failure(refresh.tenant(), Operation.REFRESH);
			throw new ApiException.Unauthorized("refresh token has been revoked");
		}
		this.audit.success(refresh.tenant(), Operation.REFRESH);
		return this.tokens.issue(refresh.tenant(), Tokens.Type.ACCESS).token();
	}

	public void close(String refreshToken) {
		Tokens.Verified refresh = this.tokens.verify(refreshToken, Tokens.Type.REFRESH);
		this.accounts.revokeRefreshToken(refresh.tenant(), refresh.id());
		this.audit.success(refresh.tenant(), Operation.LOGOUT);
	}

}
