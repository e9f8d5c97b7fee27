package dev.kvstore.functions.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The module lines of docs/architecture.md, held to the compiled code of {@code shared}
 * and {@code functions} (the worker has its own): the store knows no edge, the function
 * beans know no edge, and the edges reach Redis only through the store.
 */
class ModuleBoundaryTests {

	/** Types of the web servers and the cloud: what only an edge may touch. */
	private static final String[] EDGE_TYPES = { "jakarta.servlet..", "org.springframework.web..",
			"org.springframework.http.server..", "org.springframework.boot.webflux..", "reactor.netty..",
			"io.netty.handler.codec.http..", "com.amazonaws..", "software.amazon..",
			"org.springframework.cloud.function.adapter.." };

	private static final String[] STORE = { "dev.kvstore", "dev.kvstore.audit..", "dev.kvstore.auth..",
			"dev.kvstore.json..", "dev.kvstore.kv..", "dev.kvstore.problem..", "dev.kvstore.redis..",
			"dev.kvstore.routing..", "dev.kvstore.tenant.." };

	private static final String[] FUNCTION_BEANS = { "dev.kvstore.functions.kv..", "dev.kvstore.functions.auth..",
			"dev.kvstore.functions.health..", "dev.kvstore.functions.audit.." };

	private static final String[] EDGES = { "dev.kvstore.functions.http..", "dev.kvstore.functions.lambda..",
			"dev.kvstore.functions.dispatch.." };

	private static final String[] REDIS_CLIENTS = { "org.springframework.data.redis..", "io.lettuce.." };

	/**
	 * The main classes of both modules: {@code shared}'s come from its jar when the
	 * module is built alone, and its test jar is left out.
	 */
	static final JavaClasses CLASSES = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.withImportOption((location) -> !location.contains("-tests.jar"))
		.importPackages("dev.kvstore");

	@Test
	void theStoreKnowsNoEdge() {
		check(noClasses().that()
			.resideInAnyPackage(STORE)
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(EDGE_TYPES)
			.orShould()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.kvstore.functions..", "dev.kvstore.worker.."));
	}

	@Test
	void functionBeansKnowNoEdge() {
		check(noClasses().that()
			.resideInAnyPackage(FUNCTION_BEANS)
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(EDGE_TYPES)
			.orShould()
			.dependOnClassesThat()
			.resideInAnyPackage(EDGES));
	}

	@Test
	void edgesReachRedisOnlyThroughTheStore() {
		check(noClasses().that()
			.resideInAnyPackage(EDGES)
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(REDIS_CLIENTS));
	}

	static void check(ArchRule rule) {
		rule.check(CLASSES);
	}

}
