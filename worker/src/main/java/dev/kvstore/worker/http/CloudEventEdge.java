package dev.kvstore.worker.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import dev.kvstore.audit.AuditEvent;
import dev.kvstore.audit.AuditSignature;
import dev.kvstore.json.ApiJson;
import dev.kvstore.kv.ExpiredEntryCleanup;

/**
 * Knative delivers to the worker over HTTP: {@code POST /audit} takes an audit event as a
 * CloudEvent, in binary mode (the event in the body, its attributes in {@code ce-*}
 * headers) or structured mode ({@code application/cloudevents+json}, the event in
 * {@code data} or {@code data_base64}); {@code POST /ttl-cleanup} takes a PingSource
 * tick, which must carry the cleanup token when one is set (CLEANUP_TOKEN, 401 without).
 * Knative's RabbitMQ source can send no secret of its own, so an audit event must carry
 * the signature its publisher gave it when a signing key is set (AUDIT_SIGNING_KEY, 401
 * without: Knative does not retry it). The answers carry no {@code ce-*} header, so
 * Knative never reads them as reply events. A malformed event gets 400 (Knative
 * dead-letters it); a store that cannot be reached gets 503 (Knative retries).
 */
@Configuration(proxyBeanMethods = false)
public class CloudEventEdge {

	public static final String AUDIT_PATH = "/audit";

	public static final String CLEANUP_PATH = "/ttl-cleanup";

	private static final Log logger = LogFactory.getLog(CloudEventEdge.class);

	private static final MediaType STRUCTURED = MediaType.parseMediaType("application/cloudevents+json");

	/**
	 * The largest body read: an audit event is a few fields and a key of at most 4096
	 * characters, so anything bigger is not one (413, which Knative does not retry).
	 */
	static final int MAX_BODY = 64 * 1024;

	/**
	 * The CloudEvent extension attribute that carries the cleanup's shared secret: the
	 * PingSource sets it ({@code ceOverrides.extensions}), binary mode sends it as this
	 * header.
	 */
	static final String TOKEN_HEADER = "ce-kvstoretoken";

	/**
	 * @param cleanupToken CLEANUP_TOKEN: when set, {@code /ttl-cleanup} runs only for a
	 * request that carries it, so nobody else in the cluster can make the worker sweep
	 * @param signingKey AUDIT_SIGNING_KEY: when set, {@code /audit} stores only events
	 * signed with it, so nobody else in the cluster can write to an audit log
	 */
	@Bean
	RouterFunction<ServerResponse> cloudEvents(@Qualifier("audit") Consumer<AuditEvent> audit,
			@Qualifier("ttlCleanup") Supplier<ExpiredEntryCleanup.Report> ttlCleanup,
			@Value("${kvstore.cleanup.token:}") String cleanupToken, @Value(AuditSignature.KEY) String signingKey) {
		byte[] token = cleanupToken.getBytes(StandardCharsets.UTF_8);
		AuditSignature signature = new AuditSignature(signingKey);
		return RouterFunctions.route().POST(AUDIT_PATH, (request) -> answer(() -> {
			AuditEvent event = auditEvent(request);
			if (!signature.accepts(event)) {
				return ServerResponse.status(HttpStatus.UNAUTHORIZED).body("an audit event must carry its signature");
			}
			audit.accept(event);
			return ServerResponse.accepted().build();
		})).POST(CLEANUP_PATH, (request) -> answer(() -> {
			if (!carries(request, token)) {
				return ServerResponse.status(HttpStatus.UNAUTHORIZED).body("a cleanup tick must carry its token");
			}
			return ServerResponse.ok().body(ttlCleanup.get());
		})).build();
	}

	/** Whether the request carries the token (any request does when none is set). */
	private static boolean carries(ServerRequest request, byte[] token) {
		if (token.length == 0) {
			return true;
		}
		String sent = request.headers().firstHeader(TOKEN_HEADER);
		return sent != null && MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8), token);
	}

	private static AuditEvent auditEvent(ServerRequest request) throws IOException {
		if (request.servletRequest().getContentLengthLong() > MAX_BODY) {
			throw new TooLarge();
		}
		byte[] body = request.servletRequest().getInputStream().readNBytes(MAX_BODY + 1);
		if (body.length > MAX_BODY) {
			throw new TooLarge();
		}
		boolean structured = request.headers()
			.contentType()
			.map((type) -> type.isCompatibleWith(STRUCTURED))
			.orElse(false);
		if (!structured) {
			return ApiJson.mapper().readValue(body, AuditEvent.class);
		}
		JsonNode envelope = ApiJson.mapper().readTree(body);
		if (envelope.hasNonNull("data_base64")) {
			return ApiJson.mapper()
				.readValue(Base64.getDecoder().decode(envelope.get("data_base64").asString()), AuditEvent.class);
		}
		return ApiJson.mapper().treeToValue(envelope.required("data"), AuditEvent.class);
	}

	private static ServerResponse answer(Handler handler) {
		try {
			return handler.handle();
		}
		catch (TooLarge ex) {
			return ServerResponse.status(HttpStatus.CONTENT_TOO_LARGE).body("larger than any audit event");
		}
		catch (JacksonException | IllegalArgumentException ex) {
			return ServerResponse.badRequest().body("not an audit event");
		}
		catch (DataAccessException | IOException ex) {
			logger.warn("could not take a CloudEvent, Knative will retry it: " + ex.getMessage());
			return ServerResponse.status(HttpStatus.SERVICE_UNAVAILABLE).build();
		}
	}

	private static final class TooLarge extends RuntimeException {

		TooLarge() {
			super(null, null, false, false);
		}

	}

	@FunctionalInterface
	private interface Handler {

		ServerResponse handle() throws IOException;

	}

}
