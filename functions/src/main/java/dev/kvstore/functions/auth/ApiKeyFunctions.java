package dev.kvstore.functions.auth;

import java.util.function.Consumer;
import java.util.function.Function;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

import dev.kvstore.auth.ApiKeyRequests.ApiKeyCreated;
import dev.kvstore.auth.ApiKeyRequests.ApiKeyId;
import dev.kvstore.auth.ApiKeyRequests.ApiKeyList;
import dev.kvstore.auth.ApiKeyRequests.NewApiKey;
import dev.kvstore.auth.ApiKeys;
import dev.kvstore.tenant.Caller;

/**
 * The API key routes: create (the secret shown once), list (never a secret), revoke. Only
 * the account's own token reaches them: the dispatcher refuses an API key here.
 */
@Configuration(proxyBeanMethods = false)
public class ApiKeyFunctions {

	@Bean
	public Function<Message<NewApiKey>, ApiKeyCreated> createApiKey(ApiKeys keys) {
		return (request) -> keys.create(Caller.of(request).requiredTenant(), request.getPayload());
	}

	@Bean
	public Function<Caller, ApiKeyList> listApiKeys(ApiKeys keys) {
		return (caller) -> new ApiKeyList(keys.list(caller.requiredTenant()));
	}

	@Bean
	public Consumer<Message<ApiKeyId>> revokeApiKey(ApiKeys keys) {
		return (request) -> keys.revoke(Caller.of(request).requiredTenant(), request.getPayload().id());
	}

}
