package dev.kvstore;

import java.time.Instant;
import java.util.List;
import java.util.function.Function;

import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import reactor.core.publisher.Mono;

import dev.kvstore.auth.Account;
import dev.kvstore.auth.AccountRepository;
import dev.kvstore.redis.AsyncScripts;
import dev.kvstore.redis.RedisKeys;
import dev.kvstore.tenant.TenantId;

/**
 * The run's standalone Redis (REDIS_HOST / REDIS_PORT: the machine's, default
 * localhost:6379, or one the run started, {@link TestServices}), or the test run's Redis
 * Cluster when {@value #CLUSTER_NODES} is set ({@link RedisCluster}), for tests that run
 * without a Spring context.
 */
public final class TestRedis {

	/** Where the apps and these tests find a Redis Cluster's nodes. */
	public static final String CLUSTER_NODES = "REDIS_CLUSTER_NODES";

	private static final LettuceConnectionFactory connections = connect();

	private static final StringRedisTemplate template = new StringRedisTemplate(connections);

	private static final AsyncScripts scripts = new AsyncScripts(connections);

	private TestRedis() {
	}

	public static StringRedisTemplate template() {
		return template;
	}

	/** Non-blocking scripts over the same connection, for the entry repository. */
	public static AsyncScripts scripts() {
		return scripts;
	}

	/**
	 * Removes a test tenant whole: its account, its entries and indexes (through
	 * {@code deleteAll}, the sweep the app itself uses) and its outbox.
	 */
	public static void dropTenant(TenantId tenant, Function<TenantId, Mono<?>> deleteAll) {
		AccountRepository accounts = new AccountRepository(template);
		accounts.find(tenant).ifPresent(accounts::delete);
		deleteAll.apply(tenant).block();
		template.delete(RedisKeys.outbox(tenant));
	}

	/** A new tenant with an active account, as registration leaves it. */
	public static TenantId newTenant() {
		TenantId tenant = TenantId.random();
		String name = "t" + tenant.value().toString().replace("-", "").substring(0, 20);
		new AccountRepository(template)
			.create(new Account(tenant, name, name + "@example.com", "not-a-hash", true, Instant.now()));
		return tenant;
	}

	/** The run's standalone Redis's host ({@link TestServices#redisHost()}). */
	public static String host() {
		return TestServices.redisHost();
	}

	public static int port() {
		return TestServices.redisPort();
	}

	private static LettuceConnectionFactory connect() {
		String host = host();
		int port = port();
		String clusterNodes = System.getProperty(CLUSTER_NODES, System.getenv(CLUSTER_NODES));
		LettuceConnectionFactory factory = (clusterNodes != null && !clusterNodes.isBlank())
				? new LettuceConnectionFactory(new RedisClusterConfiguration(List.of(clusterNodes.split(","))))
				: new LettuceConnectionFactory(new RedisStandaloneConfiguration(host, port));
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

}
