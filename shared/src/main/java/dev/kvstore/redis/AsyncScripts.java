package dev.kvstore.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import reactor.core.publisher.Mono;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Runs Lua scripts without blocking a thread: {@code EVALSHA} on the one Lettuce
 * connection the app shares (standalone or cluster alike), {@code EVAL} once when the
 * node does not hold the script yet. The answer arrives on Lettuce's I/O thread; nothing
 * here waits for it.
 */
public final class AsyncScripts {

	private final LettuceConnectionFactory connections;

	private volatile RedisClusterAsyncCommands<byte[], byte[]> commands;

	public AsyncScripts(LettuceConnectionFactory connections) {
		this.connections = connections;
	}

	/**
	 * The script's reply as text: each element a string, integers written in decimal.
	 */
	public Mono<List<String>> run(RedisScript<List<String>> script, List<String> keys, List<String> args) {
		byte[][] keyBytes = bytes(keys);
		byte[][] argBytes = bytes(args);
		return Mono.defer(() -> {
			RedisClusterAsyncCommands<byte[], byte[]> redis = commands();
			return Mono
				.fromCompletionStage(
						redis.<List<Object>>evalsha(script.getSha1(), ScriptOutputType.MULTI, keyBytes, argBytes))
				.onErrorResume(RedisNoScriptException.class,
						(unknown) -> Mono.fromCompletionStage(
								redis.<List<Object>>eval(script.getScriptAsString().getBytes(StandardCharsets.UTF_8),
										ScriptOutputType.MULTI, keyBytes, argBytes)));
		}).map(AsyncScripts::text);
	}

	/**
	 * The shared connection's commands, fetched again when it was closed (the factory
	 * stopped and started, as around a SnapStart checkpoint). Fetching is cheap once the
	 * factory has connected, which it does at start-up.
	 */
	private RedisClusterAsyncCommands<byte[], byte[]> commands() {
		RedisClusterAsyncCommands<byte[], byte[]> current = this.commands;
		if (current == null || !current.isOpen()) {
			current = connect();
			this.commands = current;
		}
		return current;
	}

	@SuppressWarnings("unchecked")
	private RedisClusterAsyncCommands<byte[], byte[]> connect() {
		try (RedisConnection connection = this.connections.getConnection()) {
			return (RedisClusterAsyncCommands<byte[], byte[]>) connection.getNativeConnection();
		}
	}

	/**
	 * Connects now, at start-up, so that no request waits for it. When Redis cannot be
	 * reached yet, the first script run connects instead.
	 */
	public void connectNow() {
		try {
			commands();
		}
		catch (RuntimeException ex) {
			// not yet: the app starts anyway and reports Redis in its readiness
		}
	}

	private static byte[][] bytes(List<String> texts) {
		byte[][] bytes = new byte[texts.size()][];
		for (int i = 0; i < bytes.length; i++) {
			bytes[i] = texts.get(i).getBytes(StandardCharsets.UTF_8);
		}
		return bytes;
	}

	private static List<String> text(List<Object> reply) {
		List<String> text = new ArrayList<>(reply.size());
		for (Object element : reply) {
			text.add(switch (element) {
				case byte[] bytes -> new String(bytes, StandardCharsets.UTF_8);
				case null -> "";
				default -> element.toString();
			});
		}
		return text;
	}

}
