package dev.kvstore.functions;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.kvstore.audit.AuditRelay;
import dev.kvstore.audit.AuditTrail;
import dev.kvstore.auth.AccountRepository;
import dev.kvstore.auth.Passwords;
import dev.kvstore.auth.Sessions;
import dev.kvstore.auth.ThrottleSettings;
import dev.kvstore.auth.Throttle;
import dev.kvstore.auth.TokenSettings;
import dev.kvstore.auth.Tokens;
import dev.kvstore.kv.EntryRepository;
import dev.kvstore.kv.KvSettings;

/**
 * The shared repositories and token services the function beans use.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ KvSettings.class, TokenSettings.class, ThrottleSettings.class })
class StoreConfiguration {

	@Bean
	EntryRepository entryRepository(StringRedisTemplate redis, KvSettings settings, AuditRelay relay) {
		return new EntryRepository(redis, settings, relay::wake);
	}

	@Bean
	AccountRepository accountRepository(StringRedisTemplate redis) {
		return new AccountRepository(redis);
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
	Sessions sessions(Tokens tokens, AccountRepository accounts, AuditTrail audit) {
		return new Sessions(tokens, accounts, audit);
	}

}
