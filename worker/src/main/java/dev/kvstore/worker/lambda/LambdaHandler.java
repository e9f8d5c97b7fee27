package dev.kvstore.worker.lambda;

import org.springframework.cloud.function.adapter.aws.FunctionInvoker;

/**
 * The worker's Lambda handler: Spring Cloud Function's {@link FunctionInvoker} for the
 * function KVSTORE_ENTRY_FUNCTION names ({@code auditFromMq} or
 * {@code ttlCleanupOnSchedule}), given directly so that Spring Cloud Stream binds nothing
 * to the broker (STREAM_FUNCTIONS is empty on Lambda).
 */
public class LambdaHandler extends FunctionInvoker {

	public LambdaHandler() {
		super(System.getenv("KVSTORE_ENTRY_FUNCTION"));
	}

}
