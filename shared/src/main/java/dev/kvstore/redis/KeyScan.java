package dev.kvstore.redis;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisClusterNode;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * SCANs the whole key space, on one Redis or on every master of a cluster (a cluster's
 * SCAN sees only the node it is sent to).
 */
public final class KeyScan {

	private KeyScan() {
	}

	public static void forEach(StringRedisTemplate redis, ScanOptions options, Consumer<String> action) {
		redis.execute((RedisCallback<Void>) (connection) -> {
			if (connection instanceof RedisClusterConnection cluster) {
				for (RedisClusterNode node : cluster.clusterGetNodes()) {
					if (node.isMaster() && node.isConnected()) {
						drain(cluster.scan(node, options), action);
					}
				}
			}
			else {
				drain(connection.keyCommands().scan(options), action);
			}
			return null;
		});
	}

	private static void drain(Cursor<byte[]> keys, Consumer<String> action) {
		try (keys) {
			keys.forEachRemaining((key) -> action.accept(new String(key, StandardCharsets.UTF_8)));
		}
	}

}
