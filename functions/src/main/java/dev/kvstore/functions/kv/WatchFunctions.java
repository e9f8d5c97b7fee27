package dev.kvstore.functions.kv;

import java.util.function.Function;

import reactor.core.publisher.Mono;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

import dev.kvstore.kv.ChangeFeed;
import dev.kvstore.kv.KvSettings;
import dev.kvstore.kv.Responses.ChangeStream;
import dev.kvstore.kv.WatchQuery;
import dev.kvstore.kv.WatchSettings;
import dev.kvstore.redis.AsyncScripts;
import dev.kvstore.tenant.Caller;

/**
 * The live watch of a tenant's changes ({@code GET /api/v1/watch}), an event stream that
 * only the HTTP edge serves.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WatchSettings.class)
public class WatchFunctions {

	@Bean
	ChangeFeed changeFeed(AsyncScripts scripts, KvSettings limits, WatchSettings settings) {
		return new ChangeFeed(scripts, limits, settings);
	}

	@Bean
	public Function<Message<WatchQuery>, Mono<ChangeStream>> watchKeys(ChangeFeed feed, WatchSettings settings) {
		return (request) -> feed.watch(Caller.of(request), request.getPayload())
			.map((changes) -> new ChangeStream(changes, settings.heartbeat()));
	}

}
