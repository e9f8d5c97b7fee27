package dev.kvstore.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

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
	 * The Redis clock as a Lua function, {@code now_ms()}: one time source for every app
	 * instance. A library for any script that needs the time.
	 */
	public static final String CLOCK = "/dev/kvstore/redis/clock.lua";

	/**
	 * A script returning a list of strings, whose text is {@code parts} in order: the
	 * libraries it uses, then its body. Each is a resource relative to {@code owner}'s
	 * package, or absolute with a leading {@code /} (like {@link #CLOCK}).
	 */
	public static RedisScript<List<String>> load(Class<?> owner, String... parts) {
		return of(Arrays.stream(parts).map((part) -> read(owner, part)).collect(Collectors.joining("\n")));
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
