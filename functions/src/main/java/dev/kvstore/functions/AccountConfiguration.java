package dev.kvstore.functions;

import java.time.Duration;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.kvstore.StoreConfiguration;
import dev.kvstore.audit.AuditTrail;
import dev.kvstore.auth.AccountRepository;
import dev.kvstore.auth.ApiKeys;
import dev.kvstore.auth.Passwords;
import dev.kvstore.auth.Sessions;
import dev.kvstore.auth.ThrottleSettings;
import dev.kvstore.auth.Throttle;
import dev.kvstore.auth.TokenSettings;
import dev.kvstore.auth.Tokens;
import dev.kvstore.redis.AsyncScripts;

/**
 * The shared store (entries, audit, cleanup), and the accounts, tokens, passwords and
 * throttles of the auth routes.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ TokenSettings.class, ThrottleSettings.class })
@Import(StoreConfiguration.class)
class AccountConfiguration {

	@Bean
	AccountRepository accountRepository(StringRedisTemplate redis) {
		return new AccountRepository(redis);
	}

	@Bean
	ApiKeys apiKeys(AsyncScripts scripts, StringRedisTemplate redis,
			@Value("${kvstore.api-keys.max-per-tenant}") int maxPerTenant) {
		return new ApiKeys(scripts, redis, maxPerTenant);
	}

	@Bean
	Tokens tokens(TokenSettings settings) {
		return new Tokens(settings);
	}

	@Bean
	Passwords passwords(@Value("${kvstore.passwords.bcrypt-strength:10}") int strength) {
		return new Passwords(strength);
	}

	@Bean
	Throttle throttle(StringRedisTemplate redis, ThrottleSettings settings) {
		return new Throttle(redis, settings);
	}

	@Bean
	Sessions sessions(Tokens tokens, AccountRepository accounts, AuditTrail audit,
			@Value("${kvstore.tokens.refresh-reuse-grace}") Duration reuseGrace) {
		return new Sessions(tokens, accounts, audit, reuseGrace);
	}

}
