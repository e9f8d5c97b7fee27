package dev.kvstore.functions.auth;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;

import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

import dev.kvstore.TestRedis;
import dev.kvstore.audit.AuditTrail;
import dev.kvstore.auth.AccountRepository;
import dev.kvstore.auth.Credentials.Login;
import dev.kvstore.auth.Credentials.ProfileChange;
import dev.kvstore.auth.Credentials.RefreshToken;
import dev.kvstore.auth.Credentials.Registration;
import dev.kvstore.auth.Passwords;
import dev.kvstore.auth.Sessions;
import dev.kvstore.auth.Throttle;
import dev.kvstore.auth.ThrottleSettings;
import dev.kvstore.auth.TokenSettings;
import dev.kvstore.auth.Tokens;
import dev.kvstore.kv.KvSettings;
import dev.kvstore.kv.TenantPurge;
import dev.kvstore.kv.TenantSweeps;
import dev.kvstore.problem.ApiException;
import dev.kvstore.redis.RedisKeys;
import dev.kvstore.tenant.Caller;
import dev.kvstore.tenant.TenantId;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The auth function beans called directly, without Spring, over the real Redis.
 */
class AuthFunctionsTests {

	private final AuthFunctions functions = new AuthFunctions();

	private final AccountRepository accounts = new AccountRepository(TestRedis.template());

	private final Passwords passwords = new Passwords(4);

	private final Tokens tokens = new Tokens(
			new TokenSettings("unit-test-secret-long-enough-for-hs256", Duration.ofMinutes(30), Duration.ofDays(7)));

	private final AuditTrail audit = new AuditTrail(TestRedis.template(), (tenant) -> {
	});

	private final Sessions sessions = new Sessions(this.tokens, this.accounts, this.audit, Duration.ofSeconds(5));

	private final Throttle throttle = new Throttle(TestRedis.template(), ThrottleSettings.DEFAULTS);

	/** A client of this test run's own, so that its limits are its own. */
	private static final String ADDRESS = "198.18." + ThreadLocalRandom.current().nextInt(256) + "."
			+ ThreadLocalRandom.current().nextInt(256);

	private final String username = "u" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);

	@Test
	void registersLogsInRefreshesAndLogsOut() {
		var registered = this.functions
			.register(this.accounts, this.passwords, this.sessions, this.audit, this.throttle)
			.apply(anonymous(new Registration(this.username, this.username + "@example.com", "Secret123")));
		var login = this.functions.login(this.accounts, this.passwords, this.sessions, this.audit, this.throttle)
			.apply(anonymous(new Login(this.username, "Secret123")));
		var renewed = this.functions.refresh(this.sessions).apply(anonymous(new RefreshToken(login.refreshToken())));
		this.functions.logout(this.sessions).accept(anonymous(new RefreshToken(login.refreshToken())));

		assertThat(this.tokens.verifyAccess(registered.accessToken()).value()).isEqualTo(registered.tenantId());
		assertThat(this.tokens.verifyAccess(renewed.accessToken()).value()).isEqualTo(registered.tenantId());
		assertThat(registered.tokenType()).isEqualTo("bearer");
		assertThatExceptionOfType(ApiException.Unauthorized.class).isThrownBy(
				() -> this.functions.refresh(this.sessions).apply(anonymous(new RefreshToken(login.refreshToken()))));
	}

	@Test
	void withoutAGraceWindowTheTokenJustReplacedRevokesItsFamilyAtOnce() {
		Sessions strict = new Sessions(this.tokens, this.accounts, this.audit, Duration.ZERO);
		var registered = this.functions.register(this.accounts, this.passwords, strict, this.audit, this.throttle)
			.apply(anonymous(new Registration(this.username, this.username + "@example.com", "Secret123")));
		var renewed = this.functions.refresh(strict).apply(anonymous(new RefreshToken(registered.refreshToken())));

		assertThatExceptionOfType(ApiException.Unauthorized.class)
			.isThrownBy(
					() -> this.functions.refresh(strict).apply(anonymous(new RefreshToken(registered.refreshToken()))))
			.withMessageContaining("already used");
		assertThatExceptionOfType(ApiException.Unauthorized.class).isThrownBy(
				() -> this.functions.refresh(strict).apply(anonymous(new RefreshToken(renewed.refreshToken()))));
	}

	/** One shared stream for every unknown username would be a hot key. */
	@Test
	void writesNoAuditEventForALoginOfAnUnknownUsername() {
		String noTenant = RedisKeys.outbox(TenantId.NONE);
		long before = TestRedis.template().opsForStream().size(noTenant);

		assertThatExceptionOfType(ApiException.Unauthorized.class).isThrownBy(
				() -> this.functions.login(this.accounts, this.passwords, this.sessions, this.audit, this.throttle)
					.apply(anonymous(new Login("nobody-" + this.username, "Secret123"))));

		assertThat(TestRedis.template().opsForStream().size(noTenant)).isLessThanOrEqualTo(before);
	}

	@Test
	void showsTheCallersOwnProfileWithoutPassword() {
		var registered = this.functions
			.register(this.accounts, this.passwords, this.sessions, this.audit, this.throttle)
			.apply(anonymous(new Registration(this.username, this.username + "@example.com", "Secret123")));

		var profile = this.functions.getProfile(this.accounts)
			.apply(Caller.system(new TenantId(registered.tenantId())));

		assertThat(profile.username()).isEqualTo(this.username);
		assertThat(profile.email()).isEqualTo(this.username + "@example.com");
		assertThat(profile.tenantId()).isEqualTo(registered.tenantId());
		assertThat(profile.isActive()).isTrue();
		assertThatExceptionOfType(ApiException.Unauthorized.class)
			.isThrownBy(() -> this.functions.getProfile(this.accounts).apply(Caller.system(TenantId.random())));
	}

	@Test
	void refusesWrongPasswordAndUnknownUserAlike() {
		this.functions.register(this.accounts, this.passwords, this.sessions, this.audit, this.throttle)
			.apply(anonymous(new Registration(this.username, this.username + "@example.com", "Secret123")));
		var login = this.functions.login(this.accounts, this.passwords, this.sessions, this.audit, this.throttle);

		var wrongPassword = org.assertj.core.api.Assertions.catchThrowableOfType(ApiException.Unauthorized.class,
				() -> login.apply(anonymous(new Login(this.username, "Nope1234"))));
		var unknownUser = org.assertj.core.api.Assertions.catchThrowableOfType(ApiException.Unauthorized.class,
				() -> login.apply(anonymous(new Login(this.username + "x", "Secret123"))));

		assertThat(wrongPassword).hasMessage(unknownUser.getMessage());
	}

	@Test
	void changesPasswordOnlyWithTheCurrentOneAndDeletesTheAccount() {
		var registered = this.functions
			.register(this.accounts, this.passwords, this.sessions, this.audit, this.throttle)
			.apply(anonymous(new Registration(this.username, this.username + "@example.com", "Secret123")));
		TenantId tenant = new TenantId(registered.tenantId());
		var update = this.functions.updateProfile(this.accounts, this.passwords, this.audit, this.throttle);

		assertThatExceptionOfType(ApiException.Invalid.class)
			.isThrownBy(() -> update.apply(MessageBuilder.withPayload(new ProfileChange(null, "Changed123", "wrong"))
				.setHeader(Caller.HEADER, Caller.system(tenant))
				.build()));
		update.apply(MessageBuilder.withPayload(new ProfileChange(null, "Changed123", "Secret123"))
			.setHeader(Caller.HEADER, Caller.system(tenant))
			.build());
		this.functions
			.deleteAccount(this.accounts,
					new TenantPurge(TestRedis.template(), new TenantSweeps(TestRedis.scripts(), KvSettings.DEFAULTS)),
					this.audit)
			.accept(Caller.system(tenant));

		assertThat(this.accounts.find(tenant)).isEmpty();
		assertThat(this.accounts.findByUsername(this.username)).isEmpty();
	}

	/**
	 * A request of a public route from this run's own address, so that runs after runs on
	 * one Redis never trip the per-address limits.
	 */
	private static <T> Message<T> anonymous(T payload) {
		return MessageBuilder.withPayload(payload).setHeader(Caller.HEADER, new Caller(null, "test", ADDRESS)).build();
	}

}
