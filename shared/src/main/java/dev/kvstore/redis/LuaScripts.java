package dev.kvstore.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Loads a Lua script from the classpath once, prefixed with the shared functions it uses.
 */
public final class LuaScripts {

	private LuaScripts() {
	}

	/**
	 * A script returning a list of strings, whose text is {@code library} followed by
	 * {@code body}. Both are resources relative to {@code owner}'s package.
	 */
	@SuppressWarnings({ "unchecked", "rawtypes" })
	public static RedisScript<List<String>> load(Class<?> owner, String library, String body) {
		String text = read(owner, library) + "\n" + read(owner, body);
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
