package dev.kvstore;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import redis.embedded.core.ExecutableProvider;

/**
 * The services a test run talks to: the machine's Redis (and RabbitMQ, see the worker's
 * tests) when they answer on their ports, else ones the test run starts itself, so that
 * {@code ./mvnw verify} needs nothing but a JDK.
 * {@code -D}{@value #SWITCH}{@code =embedded} ignores the machine's services. Redis is
 * then the redis-server that embedded-redis ships (6.2), on a spare loopback port, for
 * the whole run; every test finds it through the REDIS_HOST and REDIS_PORT system
 * properties ({@link #redisHost()}, and the apps' {@code ${REDIS_HOST}} placeholders).
 * The run says which services it used.
 */
public final class TestServices {

	public static final String SWITCH = "test.services";

	/**
	 * Where the apps and the tests find the standalone Redis (system property or
	 * environment).
	 */
	static final String REDIS_HOST = "REDIS_HOST";

	static final String REDIS_PORT = "REDIS_PORT";

	private static String redisServer;

	private TestServices() {
	}

	/**
	 * The standalone Redis's host: the REDIS_HOST system property (set when the run
	 * started a Redis of its own), else the environment's, else localhost.
	 */
	public static String redisHost() {
		return setting(REDIS_HOST, "localhost");
	}

	public static int redisPort() {
		return Integer.parseInt(setting(REDIS_PORT, "6379"));
	}

	static String setting(String name, String fallback) {
		return System.getProperty(name, System.getenv().getOrDefault(name, fallback));
	}

	/** Whether the switch says to ignore the machine's services. */
	public static boolean embeddedOnly() {
		return "embedded".equals(System.getProperty(SWITCH));
	}

	/**
	 * The redis-server to run for a Redis of the tests' own: the machine's on the PATH,
	 * unless there is none or the switch says embedded; else embedded-redis's.
	 */
	public static synchronized String redisServer() {
		if (redisServer == null) {
			redisServer = (!embeddedOnly() && onPath("redis-server")) ? "redis-server" : embeddedRedisServer();
		}
		return redisServer;
	}

	/** Whether something accepts connections on host:port, within half a second. */
	public static boolean answers(String host, int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(host, port), 500);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/** Says which service the run uses, once, where the build's output shows it. */
	public static void report(String service, String where) {
		System.out.println("[test services] " + service + ": " + where);
	}

	private static String embeddedRedisServer() {
		try {
			File binary = ExecutableProvider.newJarResourceProvider().get();
			return binary.getAbsolutePath();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot unpack embedded-redis's redis-server", ex);
		}
	}

	private static boolean onPath(String command) {
		String path = System.getenv("PATH");
		if (path == null) {
			return false;
		}
		for (String dir : path.split(File.pathSeparator)) {
			if (new File(dir, command).canExecute()) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Before the first test: the machine's Redis when it answers (unless the switch says
	 * embedded), else one of the run's own; the Redis Cluster run starts its own
	 * ({@link RedisCluster}).
	 */
	public static final class Session implements LauncherSessionListener {

		private RedisProcess redis;

		@Override
		public void launcherSessionOpened(LauncherSession session) {
			if (Boolean.getBoolean(RedisCluster.SWITCH) || this.redis != null) {
				return;
			}
			// Not TestRedis's: it connects as soon as it is loaded.
			String host = redisHost();
			int port = redisPort();
			if (!embeddedOnly() && answers(host, port)) {
				report("Redis", "the machine's, " + host + ":" + port);
				return;
			}
			this.redis = RedisProcess.start("--appendonly", "no", "--appendfsync", "no");
			System.setProperty(REDIS_HOST, "127.0.0.1");
			System.setProperty(REDIS_PORT, Integer.toString(this.redis.port()));
			report("Redis", "started for this run, " + redisServer() + " on 127.0.0.1:" + this.redis.port());
		}

		@Override
		public void launcherSessionClosed(LauncherSession session) {
			if (this.redis != null) {
				this.redis.close();
				this.redis = null;
			}
		}

	}

}
