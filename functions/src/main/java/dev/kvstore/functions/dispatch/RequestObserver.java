package dev.kvstore.functions.dispatch;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

import dev.kvstore.functions.logging.RequestLog;
import dev.kvstore.problem.ApiException;
import dev.kvstore.routing.Route;
import dev.kvstore.routing.RouteTable;
import dev.kvstore.tenant.TenantId;

/**
 * What every request leaves behind, on both edges: the original design's metrics
 * ({@code http_requests_total}, {@code http_request_duration_seconds},
 * {@code kvstore_operations_total}, {@code active_connections}) and one log line with
 * method, route, status, duration, tenant and request id ({@link RequestLog}). Every
 * label has a bounded set of values: the route template (never the raw path), a method
 * the route table knows or {@code other}, the status, and the tenant only when opted in.
 * Each route's meters are made once, at start-up.
 */
@Component
@EnableConfigurationProperties(RequestObserver.Settings.class)
class RequestObserver {

	/**
	 * @param tenantLabel whether kvstore_operations_total carries a tenant label (one
	 * series per tenant: opt in knowingly)
	 */
	@ConfigurationProperties("kvstore.observe")
	record Settings(boolean tenantLabel) {
	}

	private static final String UNMATCHED = "unmatched";

	private static final String OTHER_METHOD = "other";

	private static final Set<String> KNOWN_METHODS = RouteTable.ROUTES.stream()
		.map(Route::method)
		.collect(Collectors.toUnmodifiableSet());

	private final MeterRegistry meters;

	private final Settings settings;

	private final @Nullable RequestLog log;

	private final AtomicInteger active = new AtomicInteger();

	private final Map<Route, Meters> byRoute = new HashMap<>();

	private final Map<String, Meters> unmatched = new HashMap<>();

	/** kvstore_limit_refusals_total by the limit that refused. */
	private final Map<String, Counter> refusals = new ConcurrentHashMap<>();

	RequestObserver(MeterRegistry meters, Settings settings, Optional<RequestLog> log) {
		this.meters = meters;
		this.settings = settings;
		this.log = log.orElse(null);
		Gauge.builder("active_connections", this.active, AtomicInteger::get)
			.description("Requests being served")
			.register(meters);
		RouteTable.ROUTES.forEach((route) -> this.byRoute.put(route, new Meters(route.method(), route.path())));
		KNOWN_METHODS.forEach((method) -> this.unmatched.put(method, new Meters(method, UNMATCHED)));
		this.unmatched.put(OTHER_METHOD, new Meters(OTHER_METHOD, UNMATCHED));
	}

	/** A request begins: it counts as active until it is answered or abandoned. */
	Observation start(ApiRequest request) {
		this.active.incrementAndGet();
		return new Observation(request);
	}

	/** One request, from its start to its answer. */
	final class Observation {

		private final long start = System.nanoTime();

		private final ApiRequest request;

		private @Nullable Route route;

		private @Nullable TenantId tenant;

		private Observation(ApiRequest request) {
			this.request = request;
		}

		void route(Route route) {
			this.route = route;
		}

		void tenant(@Nullable TenantId tenant) {
			this.tenant = tenant;
		}

		/**
		 * The request failed: when a configured limit refused it (429, a quota's 403),
		 * that limit's count goes up. The limits are the code's names, so the label stays
		 * bounded.
		 */
		void failed(Throwable failure) {
			for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
				if (cause instanceof ApiException.Limited limited) {
					RequestObserver.this.refusals
						.computeIfAbsent(limited.limit(),
								(limit) -> RequestObserver.this.meters.counter("kvstore_limit_refusals", "limit",
										limit))
						.increment();
					return;
				}
			}
		}

		void answered(ApiResponse response) {
			RequestObserver.this.answered(this, response.status(), System.nanoTime() - this.start);
		}

		/** The client went away before the answer: no status to count. */
		void abandoned() {
			RequestObserver.this.active.decrementAndGet();
		}

	}

	private void answered(Observation observation, int status, long nanos) {
		this.active.decrementAndGet();
		Meters meters = (observation.route != null) ? this.byRoute.get(observation.route) : this.unmatched
			.get(KNOWN_METHODS.contains(observation.request.method()) ? observation.request.method() : OTHER_METHOD);
		meters.record(status, nanos);
		if (observation.route != null) {
			operation(observation.route, observation.tenant, status);
		}
		if (this.log != null) {
			this.log.log(meters.method, meters.endpoint, status, nanos, observation.request.requestId(),
					observation.tenant);
		}
	}

	private void operation(Route route, @Nullable TenantId tenant, int status) {
		String outcome = (status < 400) ? "success" : (status < 500) ? "client_error" : "server_error";
		if (this.settings.tenantLabel() && tenant != null) {
			this.meters
				.counter("kvstore_operations", "operation", route.function(), "status", outcome, "tenant",
						tenant.toString())
				.increment();
			return;
		}
		this.byRoute.get(route).operations
			.computeIfAbsent(outcome,
					(key) -> this.meters.counter("kvstore_operations", "operation", route.function(), "status",
							outcome))
			.increment();
	}

	/** One method and endpoint label pair's meters. */
	private final class Meters {

		final String method;

		final String endpoint;

		final Timer duration;

		final Map<Integer, Counter> byStatus = new ConcurrentHashMap<>();

		final Map<String, Counter> operations = new ConcurrentHashMap<>();

		Meters(String method, String endpoint) {
			this.method = method;
			this.endpoint = endpoint;
			this.duration = Timer.builder("http_request_duration")
				.tags("method", method, "endpoint", endpoint)
				.publishPercentileHistogram()
				.register(RequestObserver.this.meters);
		}

		void record(int status, long nanos) {
			this.byStatus
				.computeIfAbsent(status,
						(code) -> RequestObserver.this.meters.counter("http_requests", "method", this.method,
								"endpoint", this.endpoint, "status", Integer.toString(code)))
				.increment();
			this.duration.record(nanos, TimeUnit.NANOSECONDS);
		}

	}

}
