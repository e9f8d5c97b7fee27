package dev.kvstore.functions.redis;

import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;
import io.netty.handler.flush.FlushConsolidationHandler;

import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tunes the one Lettuce connection that every request thread shares.
 */
@Configuration(proxyBeanMethods = false)
class RedisClientConfiguration {

	/**
	 * Under load, many threads write commands to the shared connection at once;
	 * consolidating their flushes turns many small socket writes into few (see
	 * bench/README.md for the effect).
	 */
	@Bean
	ClientResourcesBuilderCustomizer consolidatedFlushes() {
		return (resources) -> resources.nettyCustomizer(new NettyCustomizer() {
			@Override
			public void afterChannelInitialized(Channel channel) {
				channel.pipeline().addFirst(new FlushConsolidationHandler(256, true));
			}
		});
	}

}
