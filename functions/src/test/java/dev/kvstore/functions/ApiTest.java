package dev.kvstore.functions;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Import;

/**
 * An end-to-end test: the whole functions app on a random port, against the run's Redis
 * (REDIS_HOST and REDIS_PORT: the machine's, default localhost:6379, or the run's own,
 * see TestServices). Every test registers its own tenants, so tests share nothing and
 * need no clean-up.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Import(ApiClient.Configuration.class)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
		"spring.data.redis.host=${REDIS_HOST:localhost}", "SECRET_KEY=" + ApiTest.SECRET, "BCRYPT_STRENGTH=4" })
public @interface ApiTest {

	String SECRET = "test-secret-of-at-least-32-characters!";

}
