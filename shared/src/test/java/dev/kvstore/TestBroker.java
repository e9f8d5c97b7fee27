package dev.kvstore;

import java.util.Map;

import org.apache.qpid.server.SystemLauncher;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * The AMQP broker of a test run: the machine's RabbitMQ when it answers on RABBITMQ_HOST
 * and RABBITMQ_PORT (default localhost:5672), else Apache Qpid Broker-J in this JVM on a
 * spare loopback port (AMQP 0-9-1, in memory, guest/guest), whose port the apps and tests
 * read from the RABBITMQ_PORT system property. What only RabbitMQ has (quorum queues) is
 * turned off then ({@value #QUORUM} false), and the tests of RabbitMQ's own behaviour
 * ({@link #isRabbitMq()}) sit the run out. Registered by the modules whose tests publish
 * and consume audit events.
 */
public final class TestBroker {

	/** The apps' switches for quorum queues and dead-letter queues (application.yaml). */
	public static final String QUORUM = "AUDIT_QUORUM_QUEUES";

	public static final String DEAD_LETTERS = "AUDIT_DEAD_LETTERS";

	private static volatile boolean rabbitMq = true;

	private TestBroker() {
	}

	public static String host() {
		return TestServices.setting("RABBITMQ_HOST", "localhost");
	}

	public static int port() {
		return Integer.parseInt(TestServices.setting("RABBITMQ_PORT", "5672"));
	}

	/** Whether the run's broker is a RabbitMQ (not the in-JVM one). */
	public static boolean isRabbitMq() {
		return rabbitMq;
	}

	/**
	 * Starts Qpid before the first test when the machine's RabbitMQ is not to be used.
	 */
	public static final class Session implements LauncherSessionListener {

		private SystemLauncher broker;

		@Override
		public void launcherSessionOpened(LauncherSession session) {
			if (this.broker != null) {
				return;
			}
			if (!TestServices.embeddedOnly() && TestServices.answers(host(), port())) {
				TestServices.report("AMQP broker", "the machine's RabbitMQ, " + host() + ":" + port());
				return;
			}
			// Its operational log (one INFO line per queue, exchange and connection) only
			// when
			// something is wrong.
			System.setProperty("logging.level.qpid", "WARN");
			System.setProperty("logging.level.org.apache.qpid", "WARN");
			int port = RedisProcess.freePort();
			this.broker = new SystemLauncher();
			try {
				this.broker.startup(Map.of("type", "Memory", "initialConfigurationLocation",
						TestBroker.class.getResource("qpid-broker.json").toExternalForm(), "startupLoggedToSystemOut",
						false, "context", Map.of("qpid.amqp_port", port)));
			}
			catch (Exception ex) {
				throw new IllegalStateException("cannot start the in-JVM AMQP broker (Qpid Broker-J)", ex);
			}
			rabbitMq = false;
			System.setProperty("RABBITMQ_PORT", Integer.toString(port));
			System.setProperty(QUORUM, "false");
			System.setProperty(DEAD_LETTERS, "false");
			TestServices.report("AMQP broker", "started for this run, Qpid Broker-J in this JVM on 127.0.0.1:" + port);
		}

		@Override
		public void launcherSessionClosed(LauncherSession session) {
			if (this.broker != null) {
				this.broker.shutdown();
				this.broker = null;
			}
		}

	}

}
