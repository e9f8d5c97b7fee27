package dev.kvstore.functions.fuzz;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Import;

import dev.kvstore.functions.ApiClient;
import dev.kvstore.functions.ApiTest;

/**
 * Like {@link ApiTest}, with the per-address and per-tenant limits raised out of reach
 * (thousands of generated requests come from one address and a few tenants) and without
 * the per-request log line. Every class so annotated shares one app.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Import(ApiClient.Configuration.class)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.data.redis.host=${REDIS_HOST:localhost}", "SECRET_KEY=" + ApiTest.SECRET,
				"BCRYPT_STRENGTH=4", "TENANT_OPS_PER_SECOND=0", "REGISTRATIONS_PER_ADDRESS=100000",
				"LOGIN_MAX_FAILURES_PER_ADDRESS=100000", "LOG_REQUESTS=false" })
@interface FuzzTest {

}
