package dev.kvstore.functions.dispatch;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import dev.kvstore.routing.Route;

/**
 * What every request leaves behind, on both edges: the original design's metrics
 * ({@code http_requests_total}, {@code http_request_duration_seconds},
 * {@code kvstore_operations_total}, {@code active_connections}), labelled by route
 * template and never by raw path, key or (unless opted in) tenant; and one log line with
 * method, route, status, duration, tenant and request id.
 */
@Component
public class RequestObserver {

	/**
	 * MDC keys: structured logs show them as fields of every line written during the
	 * request.
	 */
	public static final String REQUEST_ID = "request_id";

	public static final String TENANT_ID = "tenant_id";

	private static final Logger requests = LoggerFactory.getLogger("kvstore.requests");

	private static final String UNMATCHED = "unmatched";

	private final MeterRegistry meters;

	private final boolean tenantLabel;

	private final boolean logRequests;

	private final AtomicInteger active = new AtomicInteger();

	private final Map<String, Counter> counters = new ConcurrentHashMap<>();

	private final Map<String, Timer> timers = new ConcurrentHashMap<>();

	RequestObserver(MeterRegistry meters, @Value("${kvstore.metrics.tenant-label:false}") boolean tenantLabel,
			@Value("${kvstore.logging.requests:true}") boolean logRequests) {
		this.meters = meters;
		this.tenantLabel = tenantLabel;
		this.logRequests = logRequests;
		Gauge.builder("active_connections", this.active, AtomicInteger::get)
			.description("Requests being served")
			.register(meters);
	}

	void started() {
		this.active.incrementAndGet();
	}

	void finished(String method, Route route, int status, long nanos) {
		this.active.decrementAndGet();
		String endpoint = (route != null) ? route.path() : UNMATCHED;
		String statusText = Integer.toString(status);
		this.counters
			.computeIfAbsent(method + ' ' + endpoint + ' ' + statusText,
					(key) -> this.meters.counter("http_requests", "method", method, "endpoint", endpoint, "status",
							statusText))
			.increment();
		this.timers
			.computeIfAbsent(method + ' ' + endpoint,
					(key) -> Timer.builder("http_request_duration")
						.tags("method", method, "endpoint", endpoint)
						.publishPercentileHistogram()
						.register(this.meters))
			.record(nanos, TimeUnit.NANOSECONDS);
		if (route != null) {
			operation(route.function(), outcome(status));
		}
		if (this.logRequests) {
			log(method, endpoint, statusText, nanos);
		}
	}

	private void operation(String operation, String outcome) {
		String tenant = MDC.get(TENANT_ID);
		if (this.tenantLabel && tenant != null) {
			this.meters
				.counter("kvstore_operations", Tags.of("operation", operation, "status", outcome, "tenant", tenant))
				.increment();
			return;
		}
		this.counters
			.computeIfAbsent(operation + ' ' + outcome,
					(key) -> this.meters.counter("kvstore_operations", "operation", operation, "status", outcome))
			.increment();
	}

	private static String outcome(int status) {
		return (status < 400) ? "success" : (status < 500) ? "client_error" : "server_error";
	}

	private static void log(String method, String endpoint, String status, long nanos) {
		String millis = String.format("%.2f", nanos / 1_000_000.0);
		try (var m = MDC.putCloseable("method", method);
				var r = MDC.putCloseable("route", endpoint);
				var s = MDC.putCloseable("status", status);
				var d = MDC.putCloseable("duration_ms", millis)) {
			requests.info("{} {} {} {} ms", method, endpoint, status, millis);
		}
	}

}
