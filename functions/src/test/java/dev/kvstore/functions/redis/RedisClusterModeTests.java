package dev.kvstore.functions.redis;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisClusterNode;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import dev.kvstore.RedisCluster;
import dev.kvstore.functions.ApiClient;
import dev.kvstore.functions.ApiTest;
import dev.kvstore.redis.RedisKeys;
import dev.kvstore.tenant.TenantId;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * In the cluster run, the app really talks to the cluster, and tenants spread over its
 * masters: each tenant's keys share one slot (its hash tag), different tenants land on
 * different masters.
 */
@ApiTest
class RedisClusterModeTests {

	@Autowired
	ApiClient api;

	@Autowired
	RedisConnectionFactory redis;

	@Test
	void tenantsSpreadOverEveryMaster() {
		assumeTrue(Boolean.getBoolean(RedisCluster.SWITCH), "runs in the Redis Cluster run only");
		Map<RedisClusterNode, Integer> tenantsPerMaster = new HashMap<>();
		try (RedisClusterConnection cluster = this.redis.getClusterConnection()) {
			for (int i = 0; i < 30; i++) {
				ApiClient.Session session = this.api.register();
				this.api.post("/api/v1/kv", session.accessToken(), "{\"key\":\"k\",\"value\":1}").ok(201);
				TenantId tenant = TenantId.parse(session.tenantId());
				RedisClusterNode master = cluster.clusterGetNodeForKey(RedisKeys.entry(tenant, "k").getBytes());
				assertThat(cluster.clusterGetNodeForKey(RedisKeys.account(tenant).getBytes())).isEqualTo(master);
				tenantsPerMaster.merge(master, 1, Integer::sum);
			}
			assertThat(tenantsPerMaster).hasSize(3);
		}
	}

}
