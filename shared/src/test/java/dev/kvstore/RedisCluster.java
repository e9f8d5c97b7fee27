package dev.kvstore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

import static org.awaitility.Awaitility.await;

/**
 * A three-master Redis Cluster on spare loopback ports, made with the machine's
 * redis-server and {@code redis-cli --cluster create}. When the system property
 * {@value #SWITCH} is true, the whole test run (this listener is registered with the
 * JUnit launcher) starts one before the first test and points every test at it through
 * {@code REDIS_CLUSTER_NODES}, which the apps read ({@code RedisClusterEnvironment}) and
 * so does {@link TestRedis}; it stops the nodes after the last test.
 */
public final class RedisCluster implements AutoCloseable {

	public static final String SWITCH = "kvstore.test.redis-cluster";

	/**
	 * Tags a test that starts or names a Redis of its own, so it sits out the cluster
	 * run.
	 */
	public static final String OWN_REDIS = "own-redis";

	private static final int MASTERS = 3;

	private final List<RedisProcess> nodes;

	private RedisCluster(List<RedisProcess> nodes) {
		this.nodes = nodes;
	}

	public static RedisCluster start() {
		List<RedisProcess> nodes = new ArrayList<>();
		for (int i = 0; i < MASTERS; i++) {
			nodes.add(RedisProcess.start("--cluster-enabled yes", "--cluster-port " + RedisProcess.freePort(),
					"--cluster-node-timeout 2000"));
		}
		RedisCluster cluster = new RedisCluster(nodes);
		cluster.create();
		return cluster;
	}

	/** "host:port,host:port,...", as REDIS_CLUSTER_NODES takes it. */
	public String nodes() {
		return this.nodes.stream().map((node) -> "127.0.0.1:" + node.port()).collect(Collectors.joining(","));
	}

	private void create() {
		List<String> command = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
		this.nodes.forEach((node) -> command.add("127.0.0.1:" + node.port()));
		command.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
		try {
			Process create = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(create.getInputStream().readAllBytes());
			if (create.waitFor() != 0) {
				throw new IllegalStateException("redis-cli --cluster create failed:\n" + output);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot run redis-cli", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		await().atMost(Duration.ofSeconds(30))
			.ignoreExceptions()
			.until(() -> this.nodes.stream().allMatch(RedisCluster::isReady));
	}

	private static boolean isReady(RedisProcess node) {
		try {
			return node.command("CLUSTER INFO").contains("cluster_state:ok");
		}
		catch (IOException ex) {
			return false;
		}
	}

	@Override
	public void close() {
		this.nodes.forEach(RedisProcess::close);
	}

	/** Starts the cluster for the test run when {@value #SWITCH} is true. */
	public static final class Session implements LauncherSessionListener {

		private RedisCluster cluster;

		@Override
		public void launcherSessionOpened(LauncherSession session) {
			if (Boolean.getBoolean(SWITCH) && this.cluster == null) {
				this.cluster = start();
				System.setProperty(TestRedis.CLUSTER_NODES, this.cluster.nodes());
			}
		}

		@Override
		public void launcherSessionClosed(LauncherSession session) {
			if (this.cluster != null) {
				this.cluster.close();
				this.cluster = null;
			}
		}

	}

}
