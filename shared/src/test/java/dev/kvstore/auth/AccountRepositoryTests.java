package dev.kvstore.auth;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.data.redis.core.StringRedisTemplate;

import dev.kvstore.TestRedis;
import dev.kvstore.problem.ApiException;
import dev.kvstore.redis.RedisKeys;
import dev.kvstore.tenant.TenantId;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Account writes that a crash or a race could leave half done: names held by nobody,
 * stubs of deleted accounts, sessions opened with a password already changed.
 */
class AccountRepositoryTests {

	private final StringRedisTemplate redis = TestRedis.template();

	private final AccountRepository accounts = new AccountRepository(this.redis);

	private final String name = "acct" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);

	@Test
	void takesBackTheNamesOfARegistrationThatStoppedHalfWay() {
		TenantId abandoned = TenantId.random();
		this.redis.opsForValue().set(RedisKeys.username(this.name), abandoned.toString());
		this.redis.opsForValue().set(RedisKeys.email(this.name + "@example.com"), abandoned.toString());
		Account account = account(TenantId.random(), "hash");

		this.accounts.create(account);

		assertThat(this.redis.opsForValue().get(RedisKeys.username(this.name))).isEqualTo(account.tenant().toString());
		assertThat(this.accounts.findByUsername(this.name)).hasValueSatisfying((found) -> {
			assertThat(found.active()).isTrue();
			assertThat(found.tenant()).isEqualTo(account.tenant());
		});
		assertThat(this.redis.getExpire(RedisKeys.account(account.tenant()))).isEqualTo(-1);
	}

	@Test
	void keepsTheNamesOfAnAccountThatExists() {
		this.accounts.create(account(TenantId.random(), "hash"));
		TenantId second = TenantId.random();

		assertThatExceptionOfType(ApiException.Conflict.class)
			.isThrownBy(() -> this.accounts.create(account(second, "hash")));
		assertThat(this.redis.hasKey(RedisKeys.account(second))).isFalse();
	}

	@Test
	void changesNothingOnceTheAccountIsGone() {
		Account account = account(TenantId.random(), "hash");
		this.accounts.create(account);
		this.accounts.delete(account);

		assertThatExceptionOfType(ApiException.Unauthorized.class)
			.isThrownBy(() -> this.accounts.changePassword(account, "new-hash"));
		assertThatExceptionOfType(ApiException.Unauthorized.class)
			.isThrownBy(() -> this.accounts.changeEmail(account, "new-" + this.name + "@example.com"));

		assertThat(this.redis.hasKey(RedisKeys.account(account.tenant()))).isFalse();
		assertThat(this.redis.hasKey(RedisKeys.email("new-" + this.name + "@example.com"))).isFalse();
	}

	@Test
	void opensNoSessionWithAPasswordThatChangedAfterTheCheck() {
		Account account = account(TenantId.random(), "old-hash");
		this.accounts.create(account);
		this.accounts.changePassword(account, "new-hash");
		Instant expires = Instant.now().plusSeconds(60);

		assertThatExceptionOfType(ApiException.Unauthorized.class)
			.isThrownBy(() -> this.accounts.openSession(account.tenant(), "old-hash", "f1", "t1", expires));
		this.accounts.openSession(account.tenant(), "new-hash", "f2", "t2", expires);

		assertThat(this.redis.opsForZSet().score(RedisKeys.sessionFamilies(account.tenant()), "f1")).isNull();
		assertThat(this.redis.opsForZSet().score(RedisKeys.sessionFamilies(account.tenant()), "f2")).isNotNull();
	}

	/**
	 * A profile change checked against the old password, landing after a new one was set.
	 */
	@Test
	void changesNothingWithAPasswordThatChangedAfterTheCheck() {
		Account account = account(TenantId.random(), "old-hash");
		this.accounts.create(account);
		this.accounts.changePassword(account, "new-hash");

		assertThatExceptionOfType(ApiException.Conflict.class)
			.isThrownBy(() -> this.accounts.changePassword(account, "thief-hash"));
		assertThatExceptionOfType(ApiException.Conflict.class)
			.isThrownBy(() -> this.accounts.changeEmail(account, "thief-" + this.name + "@example.com"));

		assertThat(this.accounts.find(account.tenant())).hasValueSatisfying((now) -> {
			assertThat(now.passwordHash()).isEqualTo("new-hash");
			assertThat(now.email()).isEqualTo(this.name + "@example.com");
		});
		assertThat(this.redis.hasKey(RedisKeys.email("thief-" + this.name + "@example.com"))).isFalse();
	}

	@Test
	void takesAnEmailThisAccountReservedInAnEarlierTry() {
		Account account = account(TenantId.random(), "hash");
		this.accounts.create(account);
		String next = "next-" + this.name + "@example.com";
		this.redis.opsForValue().set(RedisKeys.email(next), account.tenant().toString());

		this.accounts.changeEmail(account, next);

		assertThat(this.accounts.find(account.tenant()).orElseThrow().email()).isEqualTo(next);
	}

	private Account account(TenantId tenant, String hash) {
		return new Account(tenant, this.name, this.name + "@example.com", hash, true, Instant.now());
	}

}
