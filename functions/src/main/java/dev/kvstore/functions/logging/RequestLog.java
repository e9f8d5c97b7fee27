package dev.kvstore.functions.logging;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.kvstore.tenant.TenantId;

/**
 * The line per request, written off the request path. A request only queues a small
 * record: no lock, no thread to wake, no formatting. One thread wakes every few
 * milliseconds and logs what has queued (logger {@value #LOGGER}), a batch at a time: on
 * Logback its lines are formatted as the console's and written to the console in a few
 * large writes per batch instead of one per line ({@link BatchedConsoleAppender}).
 * Nothing is dropped: past {@value #CAPACITY} queued lines a request writes its own line,
 * which slows it down rather than lose it; and stopping, after the web server has
 * finished the requests in flight, writes every line still queued.
 */
@Component
@ConditionalOnProperty(name = "kvstore.observe.request-log", havingValue = "true", matchIfMissing = true)
public final class RequestLog implements SmartLifecycle {

	static final String LOGGER = "kvstore.requests";

	private static final Logger requests = LoggerFactory.getLogger(LOGGER);

	private static final int CAPACITY = 65_536;

	private static final long PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

	/** One request's line. */
	private record Line(String method, String route, int status, long nanos, String requestId,
			@Nullable TenantId tenant) {
	}

	private final Queue<Line> queue = new ConcurrentLinkedQueue<>();

	private final AtomicInteger queued = new AtomicInteger();

	private volatile @Nullable Thread writer;

	/** Writes the lines of a batch that are still buffered. */
	private volatile Runnable endBatch = () -> {
	};

	public void log(String method, String route, int status, long nanos, String requestId, @Nullable TenantId tenant) {
		Line line = new Line(method, route, status, nanos, requestId, tenant);
		if (this.queued.incrementAndGet() > CAPACITY) {
			this.queued.decrementAndGet();
			write(line);
			this.endBatch.run();
			return;
		}
		this.queue.add(line);
	}

	@Override
	public void start() {
		this.endBatch = BatchedConsoleAppender.attachTo(LOGGER);
		Thread thread = new Thread(this::writeUntilStopped, "request-log");
		thread.setDaemon(true);
		this.writer = thread;
		thread.start();
	}

	@Override
	public void stop() {
		Thread thread = this.writer;
		this.writer = null;
		if (thread != null) {
			LockSupport.unpark(thread);
			try {
				thread.join(TimeUnit.SECONDS.toMillis(10));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		drain();
	}

	@Override
	public boolean isRunning() {
		return this.writer != null;
	}

	/** Stops last, after the web server has answered the requests in flight. */
	@Override
	public int getPhase() {
		return Integer.MIN_VALUE + 1000;
	}

	private void writeUntilStopped() {
		while (this.writer == Thread.currentThread()) {
			if (drain() == 0) {
				LockSupport.parkNanos(this, PAUSE_NANOS);
			}
		}
	}

	private int drain() {
		int written = 0;
		for (Line line = this.queue.poll(); line != null; line = this.queue.poll()) {
			this.queued.decrementAndGet();
			write(line);
			written++;
		}
		if (written > 0) {
			this.endBatch.run();
		}
		return written;
	}

	private static void write(Line line) {
		String millis = Double.toString(Math.round(line.nanos() / 10_000.0) / 100.0);
		requests.atInfo()
			.addKeyValue("method", line.method())
			.addKeyValue("route", line.route())
			.addKeyValue("status", line.status())
			.addKeyValue("duration_ms", millis)
			.addKeyValue("request_id", line.requestId())
			.addKeyValue("tenant_id", line.tenant())
			.log("{} {} {} {} ms", line.method(), line.route(), line.status(), millis);
	}

}
