package dev.kvstore.audit;

import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

import dev.kvstore.TestBroker;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The relay's declarations on the test broker. That they agree with the worker's binding
 * is the worker's {@code AuditConsumerTests.storesAnEventTheRelayPublished}.
 */
class AuditTopologyTests {

	private final CachingConnectionFactory connections = new CachingConnectionFactory(TestBroker.host(),
			TestBroker.port());

	private final RabbitAdmin admin = new RabbitAdmin(this.connections);

	private final String exchange = "kvstore.audit.topology-test-" + UUID.randomUUID();

	@AfterEach
	void deleteDeclarations() {
		AuditTopology topology = topology(true);
		this.admin.deleteQueue(topology.queue());
		this.admin.deleteQueue(topology.deadLetterQueue());
		this.admin.deleteExchange(this.exchange);
		this.connections.destroy();
	}

	@Test
	void declaresTheWorkersQueueOnItsExchange() {
		AuditTopology topology = topology(true);

		topology.declare(this.admin);
		topology.declare(this.admin);

		assertThat(this.admin.getQueueProperties(topology.queue())).isNotNull();
	}

	/** Knative's RabbitMQ source reads the exchange through a queue of its own. */
	@Test
	void declaresNoQueueThatNothingWouldRead() {
		AuditTopology topology = topology(false);

		topology.declare(this.admin);

		assertThat(this.admin.getQueueProperties(topology.queue())).isNull();
		assertThat(this.admin.getQueueProperties(topology.deadLetterQueue())).isNull();
	}

	private AuditTopology topology(boolean workerQueue) {
		boolean rabbitMq = TestBroker.isRabbitMq();
		return new AuditTopology(this.exchange, workerQueue, rabbitMq, rabbitMq);
	}

}
