package dev.kvstore.functions.auth;

import java.time.Instant;
import java.util.function.Consumer;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

import dev.kvstore.audit.AuditEvent.Operation;
import dev.kvstore.audit.AuditTrail;
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
import dev.kvstore.kv.TenantPurge;
import dev.kvstore.problem.ApiException;
import dev.kvstore.tenant.Caller;
import dev.kvstore.tenant.TenantId;

/**
 * Registration, login, token refresh, logout and the caller's own account. These block
 * (BCrypt, Redis through the blocking template), so the dispatcher runs them on worker
 * threads.
 */
@Configuration(proxyBeanMethods = false)
public class AuthFunctions {

	private static final Logger logger = LoggerFactory.getLogger(AuthFunctions.class);

	@Bean
	public Function<Message<Registration>, Registered> register(AccountRepository accounts, Passwords passwords,
			Sessions sessions, AuditTrail audit, Throttle throttle) {
		return (request) -> {
			Caller caller = Caller.of(request);
			Registration registration = request.getPayload();
			throttle.registration(caller.clientAddress());
			TenantId tenant = TenantId.random();
			Account account = new Account(tenant, registration.username(), registration.email(),
					passwords.hash(registration.password()), true, Instant.now());
			accounts.create(account);
			audit.success(caller.as(tenant), Operation.REGISTER);
			return new Registered(tenant.value(), sessions.open(account));
		};
	}

	@Bean
	public Function<Message<Login>, TokenPair> login(AccountRepository accounts, Passwords passwords, Sessions sessions,
			AuditTrail audit, Throttle throttle) {
		return (request) -> {
			Caller caller = Caller.of(request);
			Login login = request.getPayload();
			Throttle.PasswordAttempt attempt = throttle.passwordAttempt(login.username(), caller.clientAddress());
			Account account = accounts.findByUsername(login.username()).orElse(null);
			if (!passwords.matches(login.password(), account)) {
				if (account != null) {
					audit.failure(caller.as(account.tenant()), Operation.LOGIN);
				}
				else {
					// No tenant's audit log to hold it (one shared stream for all of them
					// would be a hot key): the request log has its 401, this line the
					// rest.
					logger.atInfo()
						.addKeyValue("request_id", caller.requestId())
						.addKeyValue("client_address", caller.clientAddress())
						.log("login failed for a username no account has");
				}
				throw new ApiException.Unauthorized("incorrect username or password");
			}
			attempt.succeeded();
			audit.success(caller.as(account.tenant()), Operation.LOGIN);
			return sessions.open(account);
		};
	}

	@Bean
	public Function<Message<RefreshToken>, TokenPair> refresh(Sessions sessions) {
		return (request) -> sessions.renew(Caller.of(request), request.getPayload().refreshToken());
	}

	@Bean
	public Consumer<Message<RefreshToken>> logout(Sessions sessions) {
		return (request) -> sessions.close(Caller.of(request), request.getPayload().refreshToken());
	}

	@Bean
	public Function<Caller, Profile> getProfile(AccountRepository accounts) {
		return (caller) -> Profile.of(activeAccount(accounts, caller.requiredTenant()));
	}

	@Bean
	public Function<Message<ProfileChange>, Profile> updateProfile(AccountRepository accounts, Passwords passwords,
			AuditTrail audit, Throttle throttle) {
		return (request) -> {
			Caller caller = Caller.of(request);
			Account account = activeAccount(accounts, caller.requiredTenant());
			ProfileChange change = request.getPayload();
			Throttle.PasswordAttempt attempt = throttle.passwordAttempt(account.username(), caller.clientAddress());
			if (!passwords.matches(change.currentPassword(), account)) {
				audit.failure(caller, Operation.ACCOUNT_UPDATE);
				throw new ApiException.Invalid("current_password is not this account's password");
			}
			attempt.succeeded();
			if (change.email() != null) {
				accounts.changeEmail(account, change.email());
			}
			if (change.password() != null) {
				accounts.changePassword(account, passwords.hash(change.password()));
			}
			audit.success(caller, Operation.ACCOUNT_UPDATE);
			return Profile.of(activeAccount(accounts, account.tenant()));
		};
	}

	/**
	 * Deletes the account in one step, which stops its tokens at once; the cleanup
	 * removes its entries afterwards, a bounded part per run ({@link TenantPurge}).
	 */
	@Bean
	public Consumer<Caller> deleteAccount(AccountRepository accounts, TenantPurge purge, AuditTrail audit) {
		return (caller) -> {
			Account account = activeAccount(accounts, caller.requiredTenant());
			purge.schedule(account.tenant());
			accounts.delete(account);
			audit.success(caller, Operation.ACCOUNT_DELETE);
		};
	}

	private static Account activeAccount(AccountRepository accounts, TenantId tenant) {
		return accounts.find(tenant)
			.filter(Account::active)
			.orElseThrow(() -> new ApiException.Unauthorized("the account of this token no longer exists"));
	}

}
