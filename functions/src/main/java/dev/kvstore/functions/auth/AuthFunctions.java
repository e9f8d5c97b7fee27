package dev.kvstore.functions.auth;

import java.time.Instant;
import java.util.function.Consumer;
import java.util.function.Function;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

import dev.kvstore.audit.AuditEvent.Operation;
import dev.kvstore.audit.AuditTrail;
import dev.kvstore.audit.RequestContext;
import dev.kvstore.auth.Account;
import dev.kvstore.auth.AccountRepository;
import dev.kvstore.auth.AuthResponses.Profile;
import dev.kvstore.auth.AuthResponses.Registered;
import dev.kvstore.auth.AuthResponses.TokenPair;
import dev.kvstore.auth.Credentials.Login;
import dev.kvstore.auth.Credentials.ProfileChange;
import dev.kvstore.auth.Credentials.RefreshToken;
import dev.kvstore.auth.Credentials.Registration;
import dev.kvstore.auth.Passwords;
import dev.kvstore.auth.Sessions;
import dev.kvstore.auth.Throttle;
import dev.kvstore.kv.EntryRepository;
import dev.kvstore.problem.ApiException;
import dev.kvstore.tenant.TenantId;

/**
 * Registration, login, token refresh, logout and the caller's own account.
 */
@Configuration(proxyBeanMethods = false)
public class AuthFunctions {

	@Bean
	public Function<Registration, Registered> register(AccountRepository accounts, Passwords passwords,
			Sessions sessions, AuditTrail audit, Throttle throttle) {
		return (registration) -> {
			throttle.registration(RequestContext.current().clientAddress());
			TenantId tenant = TenantId.random();
			accounts.create(new Account(tenant, registration.username(), registration.email(),
					passwords.hash(registration.password()), true, Instant.now()));
			audit.success(tenant, Operation.REGISTER);
			return new Registered(tenant.value(), sessions.open(tenant));
		};
	}

	@Bean
	public Function<Login, TokenPair> login(AccountRepository accounts, Passwords passwords, Sessions sessions,
			AuditTrail audit, Throttle throttle) {
		return (login) -> {
			Throttle.LoginAttempt attempt = throttle.login(login.username(), RequestContext.current().clientAddress());
			Account account = accounts.findByUsername(login.username()).orElse(null);
			if (!passwords.matches(login.password(), account)) {
				audit.failure((account != null) ? account.tenant() : TenantId.NONE, Operation.LOGIN);
				throw new ApiException.Unauthorized("incorrect username or password");
			}
			attempt.succeeded();
			audit.success(account.tenant(), Operation.LOGIN);
			return sessions.open(account.tenant());
		};
	}

	@Bean
	public Function<RefreshToken, TokenPair> refresh(Sessions sessions) {
		return (request) -> sessions.renew(request.refreshToken());
	}

	@Bean
	public Consumer<RefreshToken> logout(Sessions sessions) {
		return (request) -> sessions.close(request.refreshToken());
	}

	@Bean
	public Function<TenantId, Profile> getProfile(AccountRepository accounts) {
		return (tenant) -> Profile.of(activeAccount(accounts, tenant));
	}

	@Bean
	public Function<Message<ProfileChange>, Profile> updateProfile(AccountRepository accounts, Passwords passwords,
			AuditTrail audit) {
		return (request) -> {
			Account account = activeAccount(accounts, TenantId.of(request));
			ProfileChange change = request.getPayload();
			if (!passwords.matches(change.currentPassword(), account)) {
				audit.failure(account.tenant(), Operation.ACCOUNT_UPDATE);
				throw new ApiException.Invalid("current_password is not this account's password");
			}
			if (change.email() != null) {
				accounts.changeEmail(account, change.email());
			}
			if (change.password() != null) {
				accounts.changePassword(account.tenant(), passwords.hash(change.password()));
			}
			audit.success(account.tenant(), Operation.ACCOUNT_UPDATE);
			return Profile.of(activeAccount(accounts, account.tenant()));
		};
	}

	@Bean
	public Consumer<TenantId> deleteAccount(AccountRepository accounts, EntryRepository entries, AuditTrail audit) {
		return (tenant) -> {
			accounts.delete(activeAccount(accounts, tenant));
			audit.success(tenant, Operation.ACCOUNT_DELETE);
			entries.deleteAll(tenant);
		};
	}

	private static Account activeAccount(AccountRepository accounts, TenantId tenant) {
		return accounts.find(tenant)
			.filter(Account::active)
			.orElseThrow(() -> new ApiException.Unauthorized("the account of this token no longer exists"));
	}

}
