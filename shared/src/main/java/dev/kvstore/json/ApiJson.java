package dev.kvstore.json;

import java.util.List;
import java.util.Map;

import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/**
 * The mapper for request and response bodies, shared by every edge so that they answer
 * alike.
 */
public final class ApiJson {

	/** Deeper documents are refused before they can exhaust the stack. */
	public static final int MAX_NESTING_DEPTH = 64;

	private static final JsonMapper MAPPER = JsonMapper
		.builder(JsonFactory.builder()
			.streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
			.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
			.build())
		.propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
		.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
		.disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
		.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
		.disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
		// A number or boolean where text is expected (a key, a tag) is a client error,
		// not text.
		.withCoercionConfig(LogicalType.Textual,
				(config) -> config.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
					.setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
					.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
		.build();

	private ApiJson() {
	}

	public static JsonMapper mapper() {
		return MAPPER;
	}

	/**
	 * Whether every string in {@code tree}, field names included, is well-formed Unicode.
	 * JSON escapes can spell an unpaired surrogate ({@code "\ud800"}); such text has no
	 * UTF-8 form, so Redis would store a replacement character and two different strings
	 * could collapse into one.
	 */
	public static boolean isWellFormedText(JsonNode tree) {
		if (tree.isString()) {
			return isWellFormed(tree.asString());
		}
		for (Map.Entry<String, JsonNode> field : tree.properties()) {
			if (!isWellFormed(field.getKey()) || !isWellFormedText(field.getValue())) {
				return false;
			}
		}
		for (JsonNode element : tree.isArray() ? tree.values() : List.<JsonNode>of()) {
			if (!isWellFormedText(element)) {
				return false;
			}
		}
		return true;
	}

	/** No unpaired surrogates. */
	public static boolean isWellFormed(String text) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
				i++;
			}
			else if (Character.isSurrogate(c)) {
				return false;
			}
		}
		return true;
	}

}
