package dev.kvstore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

import static org.awaitility.Awaitility.await;

/**
 * A three-master Redis Cluster on spare loopback ports, of redis-servers the test run
 * starts ({@link TestServices#redisServer()}) and joins with CLUSTER commands. When the
 * system property {@value #SWITCH} is true, the whole test run (this listener is
 * registered with the JUnit launcher) starts one before the first test and points every
 * test at it through {@code REDIS_CLUSTER_NODES}, which the apps read
 * ({@code RedisClusterEnvironment}) and so does {@link TestRedis}; it stops the nodes
 * after the last test.
 */
public final class RedisCluster implements AutoCloseable {

	public static final String SWITCH = "kvstore.test.redis-cluster";

	/**
	 * Tags a test that starts or names a Redis of its own, so it sits out the cluster
	 * run.
	 */
	public static final String OWN_REDIS = "own-redis";

	private static final int MASTERS = 3;

	private static final int SLOTS = 16384;

	private static final int BUS_PORT_OFFSET = 10_000;

	private final List<RedisProcess> nodes;

	private RedisCluster(List<RedisProcess> nodes) {
		this.nodes = nodes;
	}

	public static RedisCluster start() {
		List<RedisProcess> nodes = new ArrayList<>();
		for (int i = 0; i < MASTERS; i++) {
			nodes.add(RedisProcess.start(freeNodePort(), "--cluster-enabled yes", "--cluster-node-timeout 2000"));
		}
		RedisCluster cluster = new RedisCluster(nodes);
		cluster.create();
		return cluster;
	}

	/**
	 * A port for a node whose cluster bus port (the port + 10000, as Redis 6.2 has it) is
	 * free too.
	 */
	private static int freeNodePort() {
		for (int tries = 0; tries < 100; tries++) {
			int port = ThreadLocalRandom.current().nextInt(20_000, 30_000);
			if (RedisProcess.isFree(port) && RedisProcess.isFree(port + BUS_PORT_OFFSET)) {
				return port;
			}
		}
		throw new IllegalStateException("no free pair of ports for a Redis Cluster node");
	}

	/** "host:port,host:port,...", as REDIS_CLUSTER_NODES takes it. */
	public String nodes() {
		return this.nodes.stream().map((node) -> "127.0.0.1:" + node.port()).collect(Collectors.joining(","));
	}

	/**
	 * Forms the cluster the way redis-cli does, from here: every node meets the first,
	 * and each takes an equal share of the 16384 slots.
	 */
	private void create() {
		int slotsPerNode = (SLOTS + MASTERS - 1) / MASTERS;
		try {
			for (int i = 0; i < this.nodes.size(); i++) {
				RedisProcess node = this.nodes.get(i);
				if (i > 0) {
					expectOk(node.command(
							List.of("CLUSTER", "MEET", "127.0.0.1", Integer.toString(this.nodes.getFirst().port()))));
				}
				List<String> addSlots = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
				for (int slot = i * slotsPerNode; slot < Math.min(SLOTS, (i + 1) * slotsPerNode); slot++) {
					addSlots.add(Integer.toString(slot));
				}
				expectOk(node.command(addSlots));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot form the Redis Cluster", ex);
		}
		await().atMost(Duration.ofSeconds(30))
			.ignoreExceptions()
			.until(() -> this.nodes.stream().allMatch(RedisCluster::isReady));
	}

	private static void expectOk(String reply) {
		if (!reply.equals("+OK")) {
			throw new IllegalStateException("forming the Redis Cluster: " + reply);
		}
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
				TestServices.report("Redis Cluster", "started for this run, " + this.cluster.nodes());
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
