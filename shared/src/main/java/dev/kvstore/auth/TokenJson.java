package dev.kvstore.auth;

import java.io.OutputStream;
import java.io.Reader;
import java.util.Map;

import io.jsonwebtoken.io.AbstractDeserializer;
import io.jsonwebtoken.io.AbstractSerializer;
import io.jsonwebtoken.io.Deserializer;
import io.jsonwebtoken.io.Serializer;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import dev.kvstore.json.ApiJson;

/**
 * A token's header and claims as JSON, through the app's own Jackson. Without these jjwt
 * finds its JSON library by a service lookup, and its {@code jjwt-jackson} brings Jackson
 * 2 along: a second JSON library, loaded during start-up for a few small maps. Duplicate
 * names are refused, as jjwt's own reader does.
 */
final class TokenJson {

	private static final JsonMapper MAPPER = JsonMapper
		.builder(JsonFactory.builder()
			.streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(ApiJson.MAX_NESTING_DEPTH).build())
			.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
			.build())
		.build();

	private static final TypeReference<Map<String, ?>> MAP = new TypeReference<>() {
	};

	static final Serializer<Map<String, ?>> WRITER = new AbstractSerializer<>() {
		@Override
		protected void doSerialize(Map<String, ?> map, OutputStream out) {
			MAPPER.writeValue(out, map);
		}
	};

	static final Deserializer<Map<String, ?>> READER = new AbstractDeserializer<>() {
		@Override
		protected Map<String, ?> doDeserialize(Reader reader) {
			return MAPPER.readValue(reader, MAP);
		}
	};

	private TokenJson() {
	}

}
