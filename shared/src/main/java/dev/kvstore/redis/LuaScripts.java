package dev.kvstore.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Loads a Lua script from the classpath once, prefixed with the shared functions it uses,
 * if any.
 */
public final class LuaScripts {

	private LuaScripts() {
	}

	/**
	 * A script returning a list of strings, a resource relative to {@code owner}'s
	 * package.
	 */
	public static RedisScript<List<String>> load(Class<?> owner, String script) {
		return of(read(owner, script));
	}

	/**
	 * A script returning a list of strings, whose text is {@code library} followed by
	 * {@code body}. Both are resources relative to {@code owner}'s package.
	 */
	public static RedisScript<List<String>> load(Class<?> owner, String library, String body) {
		return of(read(owner, library) + "\n" + read(owner, body));
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private static RedisScript<List<String>> of(String text) {
		return (RedisScript) RedisScript.of(text, List.class);
	}

	private static String read(Class<?> owner, String name) {
		try {
			return new ClassPathResource(name, owner).getContentAsString(StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("missing script " + name, ex);
		}
	}

}
