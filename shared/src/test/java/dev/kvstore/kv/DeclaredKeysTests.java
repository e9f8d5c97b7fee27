package dev.kvstore.kv;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.lettuce.core.MigrateArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.ClusterPartitionParser;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import tools.jackson.databind.node.StringNode;

import org.springframework.data.redis.core.StringRedisTemplate;

import dev.kvstore.TestRedis;
import dev.kvstore.problem.ApiException;
import dev.kvstore.redis.RedisKeys;
import dev.kvstore.redis.StoreFailures;
import dev.kvstore.tenant.Caller;
import dev.kvstore.tenant.TenantId;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Every key an entry script touches is declared in its KEYS, those only Redis knows of
 * (an entry's stored tags) included: on a cluster whose slot is moving, a script is
 * refused with a retryable error instead of running against half of the tenant's keys.
 */
class DeclaredKeysTests {

	private final StringRedisTemplate redis = TestRedis.template();

	private final EntryRepository entries = new EntryRepository(TestRedis.scripts(),
			KvSettings.DEFAULTS.withoutTenantLimits());

	private final TenantSweeps sweeps = new TenantSweeps(TestRedis.scripts(), KvSettings.DEFAULTS);

	private final TenantId tenant = TestRedis.newTenant();

	private final Caller caller = Caller.system(this.tenant);

	@AfterEach
	void dropTenant() {
		TestRedis.dropTenant(this.tenant, this.sweeps::deleteAll);
	}

	@Test
	void retagsAnEntryWhoseOldTagsOnlyRedisKnew() {
		this.entries.create(this.caller, entry("k", Map.of("a", "1", "b", "2"))).block();

		this.entries.update(this.caller, new EntryUpdate("k", null, null, Map.of("c", "3"))).block();

		assertThat(this.redis.hasKey(tagIndex("a", "1"))).isFalse();
		assertThat(this.redis.hasKey(tagIndex("b", "2"))).isFalse();
		assertThat(this.redis.opsForZSet().range(tagIndex("c", "3"), 0, -1)).containsExactly("k");
	}

	@Test
	void deletesATaggedEntryWithEveryIndexOfIt() {
		this.entries.create(this.caller, entry("k", Map.of("a", "1", "b", "2"))).block();

		this.entries.delete(this.caller, "k").block();

		assertThat(this.redis.hasKey(tagIndex("a", "1"))).isFalse();
		assertThat(this.redis.hasKey(tagIndex("b", "2"))).isFalse();
		assertThat(this.redis.hasKey(RedisKeys.entry(this.tenant, "k"))).isFalse();
	}

	/**
	 * The tenant's slot is moving and one entry has gone to the new node: a script that
	 * declared only the account would run on the old node, miss the entry and answer 404
	 * (or create it a second time). Declared, the entry makes Redis refuse the script
	 * (TRYAGAIN), which a client sees as 503 and retries.
	 */
	@Test
	@EnabledIf("onACluster")
	void refusesRatherThanMisreadsWhileTheTenantsSlotMoves() {
		this.entries.create(this.caller, entry("moved", Map.of("a", "1"))).block();
		this.entries.create(this.caller, entry("staying", Map.of())).block();
		int slot = SlotHash.getSlot(RedisKeys.account(this.tenant));
		try (SlotMove move = SlotMove.start(slot)) {
			move.migrate(List.of(RedisKeys.entry(this.tenant, "moved")));

			assertThat(List.of(catchThrowable(() -> this.entries.find(this.caller, "moved").block()),
					catchThrowable(() -> this.entries
						.update(this.caller, new EntryUpdate("moved", StringNode.valueOf("v2"), null, null))
						.block()),
					catchThrowable(() -> this.entries.create(this.caller, entry("moved", Map.of())).block())))
				.allSatisfy((failure) -> assertThat(StoreFailures.unavailable(failure)).as(String.valueOf(failure))
					.isNotNull());
		}
		assertThat(this.entries.find(this.caller, "moved").block().value()).isEqualTo("\"value of moved\"");
		assertThat(this.entries.find(this.caller, "staying").block().value()).isEqualTo("\"value of staying\"");
	}

	static boolean onACluster() {
		String nodes = System.getProperty(TestRedis.CLUSTER_NODES, System.getenv(TestRedis.CLUSTER_NODES));
		return nodes != null && !nodes.isBlank();
	}

	private String tagIndex(String name, String value) {
		return RedisKeys.tagIndex(this.tenant, name, value);
	}

	private static NewEntry entry(String key, Map<String, String> tags) {
		return new NewEntry(key, StringNode.valueOf("value of " + key), null, tags);
	}

	/**
	 * A slot moving from the node that holds it to another, as {@code redis-cli --cluster
	 * reshard} moves it; closing it moves the rest of the slot's keys and hands the slot
	 * over.
	 */
	private static final class SlotMove implements AutoCloseable {

		private final int slot;

		private final RedisClient client = RedisClient.create();

		private final List<StatefulRedisConnection<String, String>> connections = new ArrayList<>();

		private RedisCommands<String, String> source;

		private RedisCommands<String, String> target;

		private RedisClusterNode targetNode;

		private SlotMove(int slot) {
			this.slot = slot;
		}

		static SlotMove start(int slot) {
			SlotMove move = new SlotMove(slot);
			move.begin();
			return move;
		}

		private void begin() {
			String nodes = System.getProperty(TestRedis.CLUSTER_NODES, System.getenv(TestRedis.CLUSTER_NODES));
			List<RedisCommands<String, String>> all = new ArrayList<>();
			for (String node : nodes.split(",")) {
				String[] hostAndPort = node.split(":");
				StatefulRedisConnection<String, String> connection = this.client
					.connect(RedisURI.create(hostAndPort[0], Integer.parseInt(hostAndPort[1])));
				this.connections.add(connection);
				all.add(connection.sync());
			}
			var partitions = ClusterPartitionParser.parse(all.getFirst().clusterNodes());
			String owner = partitions.getPartitionBySlot(this.slot).getNodeId();
			for (RedisCommands<String, String> node : all) {
				if (node.clusterMyId().equals(owner)) {
					this.source = node;
				}
				else if (this.target == null) {
					this.target = node;
				}
			}
			this.targetNode = partitions.getPartitionByNodeId(this.target.clusterMyId());
			this.target.clusterSetSlotImporting(this.slot, owner);
			this.source.clusterSetSlotMigrating(this.slot, this.targetNode.getNodeId());
		}

		void migrate(List<String> keys) {
			this.source.migrate(this.targetNode.getUri().getHost(), this.targetNode.getUri().getPort(), 0, 5000,
					MigrateArgs.Builder.keys(keys));
		}

		@Override
		public void close() {
			try {
				List<String> left;
				while (!(left = this.source.clusterGetKeysInSlot(this.slot, 100)).isEmpty()) {
					migrate(left);
				}
				this.target.clusterSetSlotNode(this.slot, this.targetNode.getNodeId());
				this.source.clusterSetSlotNode(this.slot, this.targetNode.getNodeId());
			}
			finally {
				this.connections.forEach(StatefulRedisConnection::close);
				this.client.shutdown();
			}
		}

	}

}
