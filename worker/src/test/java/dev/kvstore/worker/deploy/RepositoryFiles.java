package dev.kvstore.worker.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The repository's deployment files and the reference schemas beside the repository, as
 * the deployment tests read them (from the worker module's folder).
 */
final class RepositoryFiles {

	static final Path ROOT = Path.of("..");

	static final Path SCHEMAS = ROOT.resolve("../shared/reference/schemas");

	private static final YAMLMapper yaml = new YAMLMapper();

	private RepositoryFiles() {
	}

	/**
	 * Skips the calling test class when the reference schemas are not beside the
	 * repository.
	 */
	static void assumeSchemas() {
		assumeTrue(Files.isDirectory(SCHEMAS), "the schemas are not beside the repository (" + SCHEMAS + ")");
	}

	/** A file of the repository, as text. */
	static String text(String file) {
		try {
			return Files.readString(ROOT.resolve(file));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** A YAML file of the repository. */
	static JsonNode yaml(String file) {
		return yaml.readTree(text(file));
	}

	/** A YAML file among the reference schemas. */
	static JsonNode yamlSchema(String name) {
		return yaml.readTree(schemaText(name));
	}

	/**
	 * A JSON schema among the reference schemas, its relative {@code $id} removed so it
	 * loads.
	 */
	static JsonNode jsonSchema(String name) {
		ObjectNode schema = (ObjectNode) JsonMapper.shared().readTree(schemaText(name));
		schema.remove("$id");
		return schema;
	}

	private static String schemaText(String name) {
		try {
			return Files.readString(SCHEMAS.resolve(name));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
