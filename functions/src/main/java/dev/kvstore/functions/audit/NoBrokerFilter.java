package dev.kvstore.functions.audit;

import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.boot.autoconfigure.AutoConfigurationMetadata;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * Leaves RabbitMQ's auto-configuration out when no broker is configured (RABBITMQ_HOST
 * empty: audit events go in-process). It would make a connection factory nothing uses,
 * and its class initialisation alone (the JVM's default TLS context) is about a tenth of
 * a second of the start.
 */
public class NoBrokerFilter implements AutoConfigurationImportFilter, EnvironmentAware {

	private static final String RABBIT_AUTO_CONFIGURATION = "org.springframework.boot.amqp.autoconfigure.";

	private boolean brokerConfigured = true;

	@Override
	public void setEnvironment(Environment environment) {
		this.brokerConfigured = RabbitConfigured.in(environment);
	}

	@Override
	public boolean[] match(String[] autoConfigurationClasses, AutoConfigurationMetadata autoConfigurationMetadata) {
		boolean[] matches = new boolean[autoConfigurationClasses.length];
		for (int i = 0; i < matches.length; i++) {
			String candidate = autoConfigurationClasses[i];
			matches[i] = this.brokerConfigured || candidate == null || !candidate.startsWith(RABBIT_AUTO_CONFIGURATION);
		}
		return matches;
	}

}
