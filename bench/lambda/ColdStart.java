import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.InputStream;
import java.lang.management.ManagementFactory;

import dev.kvstore.functions.lambda.LambdaHandler;

/**
 * Lambda-style initialisation in a fresh JVM: constructs the handler (Spring starts) and serves one
 * API Gateway event, then prints the times in milliseconds as one line of JSON.
 */
public class ColdStart {

	public static void main(String[] args) throws Exception {
		long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
		long beforeHandler = System.currentTimeMillis();
		LambdaHandler handler = new LambdaHandler();
		long afterHandler = System.currentTimeMillis();
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try (InputStream event = new FileInputStream(args[0])) {
			handler.handleRequest(event, out, null);
		}
		long afterEvent = System.currentTimeMillis();
		String response = out.toString();
		if (!response.contains("\"statusCode\":200")) {
			throw new IllegalStateException("the first event failed: " + response);
		}
		System.out.printf("{\"jvm_to_main_ms\":%d,\"construct_ms\":%d,\"first_event_ms\":%d,\"total_ms\":%d}%n",
				beforeHandler - jvmStart, afterHandler - beforeHandler, afterEvent - afterHandler, afterEvent - jvmStart);
		System.exit(0);
	}

}
