package dev.kvstore.functions.lambda;

import org.springframework.cloud.function.adapter.aws.FunctionInvoker;

/**
 * The Lambda handler: Spring Cloud Function's {@link FunctionInvoker}, told its function
 * ({@code httpApi}, or {@code restApi} when KVSTORE_ENTRY_FUNCTION says so) directly, so
 * that no deployment needs {@code spring.cloud.function.definition}.
 */
public class LambdaHandler extends FunctionInvoker {

	public LambdaHandler() {
		super(System.getenv().getOrDefault("KVSTORE_ENTRY_FUNCTION", "httpApi"));
	}

}
