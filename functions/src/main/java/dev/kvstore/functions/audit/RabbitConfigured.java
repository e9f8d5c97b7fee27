package dev.kvstore.functions.audit;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * Whether a RabbitMQ broker is configured (RABBITMQ_HOST, i.e. spring.rabbitmq.host, not
 * empty).
 */
public class RabbitConfigured implements Condition {

	@Override
	public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
		return StringUtils.hasText(context.getEnvironment().getProperty("spring.rabbitmq.host"));
	}

	public static class Not implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return !new RabbitConfigured().matches(context, metadata);
		}

	}

}
