package dev.kvstore.functions.dispatch;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.json.JsonMapper;

import dev.kvstore.json.ApiJson;
import dev.kvstore.kv.Change;
import dev.kvstore.kv.Responses.ChangeStream;

/**
 * A watch's changes as Server-Sent Events (WHATWG HTML, section 9.2): each change an
 * event named after its operation, with its position as the event's id (what a
 * reconnecting client sends back as {@code Last-Event-ID}) and its JSON as the data; a
 * comment first, so the client knows the watch is open, and then whenever the stream has
 * been silent for the heartbeat, so that proxies keep it open.
 */
final class EventStream {

	static final String MEDIA_TYPE = "text/event-stream";

	private static final JsonMapper json = ApiJson.mapper();

	private static final byte[] OPENED = ": watching\n\n".getBytes(StandardCharsets.UTF_8);

	private static final byte[] HEARTBEAT = ": heartbeat\n\n".getBytes(StandardCharsets.UTF_8);

	private EventStream() {
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
