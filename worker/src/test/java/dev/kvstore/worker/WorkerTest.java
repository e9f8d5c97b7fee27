package dev.kvstore.worker;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Import;

/**
 * The whole worker against the machine's Redis and RabbitMQ, on an exchange of its own
 * ({@link TestExchange}) so that test runs never share a queue.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Import(TestExchange.Configuration.class)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "kvstore.cleanup.schedule=false", "CLEANUP_TOKEN=" + WorkerTest.CLEANUP_TOKEN,
				"AUDIT_SIGNING_KEY=" + WorkerTest.AUDIT_SIGNING_KEY,
				"spring.cloud.stream.bindings.audit-in-0.consumer.back-off-initial-interval=50" })
public @interface WorkerTest {

	/** The shared secret a cleanup tick must carry in these tests. */
	String CLEANUP_TOKEN = "test-cleanup-token";

	/** The secret audit events are signed with in these tests. */
	String AUDIT_SIGNING_KEY = "test-audit-signing-key";

}
