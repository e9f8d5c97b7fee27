package dev.kvstore.kv;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import dev.kvstore.problem.ApiException;
import dev.kvstore.redis.AsyncScripts;
import dev.kvstore.tenant.Caller;
import dev.kvstore.tenant.TenantId;

/**
 * Live watches of a tenant's changes. While anyone watches a tenant, the entry scripts
 * also write each change to the tenant's change stream, in the same step as the change
 * (entries.lua); a watch reads that stream after its position, every poll interval, so it
 * never holds a Redis connection and resumes after any change still kept. Nothing here
 * blocks a thread. At shutdown, every open watch ends cleanly (the client reconnects
 * elsewhere with its last position): as a {@link SmartLifecycle} of the default phase it
 * stops before the web server's graceful shutdown waits for open requests.
 */
public class ChangeFeed implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(ChangeFeed.class);

	private static final EntryScripts.Script OPEN = EntryScripts.load("changes.lua", "watch_open.lua");

	private static final EntryScripts.Script READ = EntryScripts.load("changes.lua", "watch_read.lua");

	private static final EntryScripts.Script CLOSE = EntryScripts.load("changes.lua", "watch_close.lua");

	/**
	 * How long an open watch counts against its tenant's limit without reading: every
	 * read renews it; the watches of an instance that died stop counting after it.
	 */
	static final Duration LEASE = Duration.ofSeconds(30);

	/** The most changes one read answers; a full read is followed by the next at once. */
	private static final int CHANGES_PER_READ = 100;

	/** A change's fields in a read's reply: id, operation, key, version, time, value. */
	private static final int CHANGE_WIDTH = 6;

	private final EntryScripts scripts;

	private final WatchSettings settings;

	private final int maxReadBytes;

	private final Sinks.Empty<Void> closing = Sinks.empty();

	/** The watches open on this instance. */
	private final AtomicInteger open = new AtomicInteger();

	private volatile boolean running;

	public ChangeFeed(AsyncScripts scripts, KvSettings limits, WatchSettings settings) {
		this.scripts = new EntryScripts(scripts, limits);
		this.settings = settings;
		this.maxReadBytes = limits.maxPageBytes();
	}

	/** One open watch: its lease's id and what it reports. */
	private record Watch(TenantId tenant, String id, String prefix, boolean values) {
	}

	/**
	 * One read: the changes found, the position to read after next, whether the read was
	 * full (more may be waiting) and whether the watch has ended.
	 */
	private record Batch(List<Change> changes, String next, boolean full, boolean ended) {

		static final Batch END = new Batch(List.of(), "", false, true);

	}

	/**
	 * Opens a watch of the caller's changes; fails as any request does (401, 429, and 410
	 * when it cannot resume after {@code query}'s position). The changes then end when
	 * the account goes, when the watch loses its place (the client's reconnect gets the
	 * 410), when the client goes, when Redis fails, or at shutdown.
	 */
	public Mono<Flux<Change>> watch(Caller caller, WatchQuery query) {
		String prefix = this.scripts.listedPrefix(caller, query.prefix());
		Watch watch = new Watch(caller.requiredTenant(), UUID.randomUUID().toString(), prefix, query.values());
		String resumeAfter = (query.lastEventId() != null) ? query.lastEventId() : "";
		return this.scripts
			.execute(OPEN, caller, List.of(), watch.id(), millis(LEASE), Integer.toString(this.settings.maxPerTenant()),
					millis(this.settings.retention()), Integer.toString(this.settings.keptChanges()), resumeAfter)
			.map((reply) -> switch (reply.getFirst()) {
				case "ok" -> changes(watch, reply.get(1));
				case "busy" -> throw new ApiException.RateLimited(
						"this tenant already holds " + this.settings.maxPerTenant() + " open watches",
						"watches_per_tenant", LEASE);
				case "expired" -> throw new ApiException.Gone("the changes after " + resumeAfter
						+ " are no longer kept: read the keys again, then watch without Last-Event-ID");
				default -> throw new IllegalStateException("unexpected script reply " + reply.getFirst());
			});
	}

	private Flux<Change> changes(Watch watch, String from) {
		return reads(watch, from).concatMapIterable(Batch::changes)
			.onErrorResume((ex) -> unreadable(watch, ex))
			.takeUntilOther(this.closing.asMono())
			.doOnSubscribe((subscription) -> this.open.incrementAndGet())
			.doFinally((signal) -> release(watch));
	}

	/**
	 * Read after read until the watch ends: the next at once after a full one, else after
	 * the poll interval.
	 */
	private Flux<Batch> reads(Watch watch, String from) {
		return read(watch, from).expand((batch) -> {
			if (batch.ended()) {
				return Mono.empty();
			}
			Mono<Batch> next = Mono.defer(() -> read(watch, batch.next()));
			return batch.full() ? next : Mono.delay(this.settings.pollInterval()).then(next);
		}).takeWhile((batch) -> !batch.ended());
	}

	/** Ends a watch whose changes cannot be read (Redis away): its client reconnects. */
	private static Flux<Change> unreadable(Watch watch, Throwable failure) {
		logger.atWarn()
			.addKeyValue("tenant", watch.tenant())
			.log("a watch ended: its changes could not be read: " + failure.getMessage());
		return Flux.empty();
	}

	/** Gives the watch's lease back at once; should that fail, it lapses by itself. */
	private void release(Watch watch) {
		this.open.decrementAndGet();
		this.scripts.executeAsSystem(CLOSE, watch.tenant(), List.of(), watch.id()).onErrorComplete().subscribe();
	}

	private Mono<Batch> read(Watch watch, String after) {
		return this.scripts
			.executeAsSystem(READ, watch.tenant(), List.of(), watch.id(), millis(LEASE),
					millis(this.settings.retention()), after, Integer.toString(CHANGES_PER_READ), watch.prefix(),
					watch.values() ? "1" : "0", Integer.toString(this.maxReadBytes))
			.map((reply) -> reply.getFirst().equals("ok") ? batch(reply) : Batch.END);
	}

	private static Batch batch(List<String> reply) {
		List<Change> changes = new ArrayList<>((reply.size() - 3) / CHANGE_WIDTH);
		for (int at = 3; at < reply.size(); at += CHANGE_WIDTH) {
			String value = reply.get(at + 5);
			String version = reply.get(at + 3);
			changes.add(new Change(reply.get(at), Change.reported(reply.get(at + 1)), reply.get(at + 2),
					version.isEmpty() ? null : Long.valueOf(version),
					Instant.ofEpochMilli(Long.parseLong(reply.get(at + 4))), value.isEmpty() ? null : value));
		}
		return new Batch(changes, reply.get(1), reply.get(2).equals("1"), false);
	}

	private static String millis(Duration duration) {
		return Long.toString(duration.toMillis());
	}

	@Override
	public void start() {
		this.running = true;
	}

	/** Ends every open watch. */
	@Override
	public void stop() {
		logger.info("ending the {} open watches: their clients reconnect", this.open.get());
		this.running = false;
		this.closing.tryEmitEmpty();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

}
