package dev.kvstore.functions.audit;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * Whether a RabbitMQ broker is configured (RABBITMQ_HOST, i.e. spring.rabbitmq.host, not
 * empty).
 */
public class RabbitConfigured implements Condition {

	@Override
	public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
		return in(context.getEnvironment());
	}

	static boolean in(Environment environment) {
		return StringUtils.hasText(environment.getProperty("spring.rabbitmq.host"));
	}

	public static class Not implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return !new RabbitConfigured().matches(context, metadata);
		}

	}

}
