package dev.kvstore.worker.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The worker's side of the module lines in docs/architecture.md: its functions know no
 * edge, and its edges (CloudEvents over HTTP for Knative, Lambda) reach Redis only
 * through the store.
 */
class WorkerBoundaryTests {

	private static final JavaClasses CLASSES = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
		.importPackages("dev.kvstore.worker");

	@Test
	void functionsKnowNoEdge() {
		noClasses().that()
			.resideInAnyPackage("dev.kvstore.worker.audit..", "dev.kvstore.worker.expiry..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.kvstore.worker.http..", "dev.kvstore.worker.lambda..", "org.springframework.web..",
					"org.springframework.http.server..", "reactor.netty..", "com.amazonaws..")
			.check(CLASSES);
	}

	@Test
	void edgesReachRedisOnlyThroughTheStore() {
		noClasses().that()
			.resideInAnyPackage("dev.kvstore.worker.http..", "dev.kvstore.worker.lambda..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework.data.redis..", "io.lettuce..")
			.check(CLASSES);
	}

}
