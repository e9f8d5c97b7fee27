package dev.kvstore.functions.dispatch;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.kvstore.json.ApiJson;
import dev.kvstore.kv.Change;
import dev.kvstore.kv.Responses.ChangeStream;
import dev.kvstore.problem.ApiException;

/**
 * A watch's changes as Server-Sent Events (WHATWG HTML, section 9.2): each change an
 * event named after its operation, with its position as the event's id (what a
 * reconnecting client sends back as {@code Last-Event-ID}) and its JSON as the data; a
 * comment first, so the client knows the watch is open, and then whenever the stream has
 * been silent for the heartbeat, so that proxies keep it open.
 */
final class EventStream {

	private static final JsonMapper json = ApiJson.mapper();

	private static final byte[] OPENED = ": watching\n\n".getBytes(StandardCharsets.UTF_8);

	private static final byte[] HEARTBEAT = ": heartbeat\n\n".getBytes(StandardCharsets.UTF_8);

	private EventStream() {
	}

	/** A client that sends {@code Accept} must take an event stream (else 406). */
	static void requireAccepted(ApiRequest request) {
		String accept = request.header().apply("Accept");
		if (accept == null) {
			return;
		}
		for (String range : accept.split(",")) {
			String type = range.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
			if (type.equals(ApiResponse.EVENT_STREAM) || type.equals("text/*") || type.equals("*/*")) {
				return;
			}
		}
		throw new ApiException.NotAcceptable("this route answers with " + ApiResponse.EVENT_STREAM + " only");
	}

	/**
	 * A reconnecting client names the last event it had in {@code Last-Event-ID}, which
	 * wins over the same position in the query, kept from its first connection.
	 */
	static void resumePosition(ApiRequest request, ObjectNode fields) {
		String lastEventId = request.header().apply("Last-Event-ID");
		if (lastEventId != null) {
			fields.put("last_event_id", lastEventId);
		}
	}

	static Flux<byte[]> of(ChangeStream stream) {
		Sinks.Empty<Void> ended = Sinks.empty();
		Flux<byte[]> events = stream.changes().map(EventStream::event).doFinally((signal) -> ended.tryEmitEmpty());
		Duration heartbeat = stream.heartbeat();
		Flux<byte[]> heartbeats = Flux.interval(heartbeat, heartbeat)
			.map((tick) -> HEARTBEAT)
			.takeUntilOther(ended.asMono());
		// One event per change, and the data on one line: JSON text holds no raw line
		// breaks.
		return Flux.concat(Flux.just(OPENED), Flux.merge(events, heartbeats));
	}

	private static byte[] event(Change change) {
		return ("id: " + change.id() + "\nevent: " + change.operation() + "\ndata: " + json.writeValueAsString(change)
				+ "\n\n")
			.getBytes(StandardCharsets.UTF_8);
	}

}
