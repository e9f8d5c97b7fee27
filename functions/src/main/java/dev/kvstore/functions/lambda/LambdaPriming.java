package dev.kvstore.functions.lambda;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.kvstore.auth.Tokens;
import dev.kvstore.functions.dispatch.ApiRequest;
import dev.kvstore.functions.dispatch.Dispatcher;
import dev.kvstore.functions.dispatch.QueryString;
import dev.kvstore.functions.dispatch.RequestId;
import dev.kvstore.tenant.TenantId;

/**
 * Runs a few requests through the dispatcher before SnapStart takes its snapshot, so that
 * a restored Lambda environment answers its first request with the request path's classes
 * already loaded and initialised: routing, the token check, the store's Redis scripts,
 * JSON both ways, problem answers. They touch no tenant's data: readiness, a token that
 * does not verify, an invalid login, and reads and an invalid write in a tenant that does
 * not exist (a token minted here for it and never sent anywhere; the scripts find no
 * account and answer 401).
 * <p>
 * A CRaC resource, registered once the app is ready: after Spring's own, so it runs first
 * at the checkpoint, while Redis is still connected. {@code PRIME_ON_START=true} primes
 * during start-up as well: for a Lambda without SnapStart, for the training run that
 * records the container image's AOT cache, and to measure the effect
 * ({@code bench/lambda-init.sh}).
 */
@Component
class LambdaPriming implements Resource, SmartInitializingSingleton {

	private static final Log logger = LogFactory.getLog(LambdaPriming.class);

	/** Enough for the request path's classes; the JIT would need thousands. */
	private static final int ROUNDS = 20;

	/** The request id of every priming request: none of them draws a random one. */
	private static final String PRIMING_ID = "priming";

	private final Dispatcher dispatcher;

	private final Tokens tokens;

	private final boolean onStart;

	/** The one endpoint this Lambda serves; empty: all. */
	private final String only;

	LambdaPriming(Dispatcher dispatcher, Tokens tokens, @Value("${kvstore.lambda.prime-on-start}") boolean onStart,
			@Value("${kvstore.lambda.function:}") String only) {
		this.dispatcher = dispatcher;
		this.tokens = tokens;
		this.onStart = onStart;
		this.only = only;
	}

	/**
	 * With {@code PRIME_ON_START}, primes once every bean exists and before anything
	 * starts: also before {@code -Dspring.context.exit=onRefresh} ends a training run, so
	 * that the JDK's AOT cache records the request path too.
	 */
	@Override
	public void afterSingletonsInstantiated() {
		if (this.onStart) {
			prime();
		}
	}

	@EventListener(ApplicationReadyEvent.class)
	void ready() {
		Core.getGlobalContext().register(this);
	}

	@Override
	public void beforeCheckpoint(Context<? extends Resource> context) {
		prime();
	}

	/** Each restored environment draws request ids of its own (see {@link RequestId}). */
	@Override
	public void afterRestore(Context<? extends Resource> context) {
		RequestId.reseed();
	}

	/**
	 * @return the status of every answer, in order
	 */
	List<Integer> prime() {
		long started = System.nanoTime();
		this.dispatcher.prepare(this.only);
		String phantom = "Bearer " + this.tokens.issue(TenantId.random(), Tokens.Type.ACCESS).token();
		List<ApiRequest> requests = List.of(request("GET", "/api/v1/health/ready", null, null),
				request("GET", "/api/v1/kv/priming", phantom, null), request("GET", "/api/v1/kv", phantom, null),
				request("POST", "/api/v1/kv", phantom, "{\"key\":\"\"}"),
				request("GET", "/api/v1/kv/priming", "Bearer not-a-token", null),
				request("POST", "/api/v1/auth/login", null, "{}"));
		List<Integer> statuses = new ArrayList<>();
		for (int round = 0; round < ROUNDS; round++) {
			for (ApiRequest request : requests) {
				try {
					statuses.add(this.dispatcher.dispatch(request).block().status());
				}
				catch (RuntimeException ex) {
					// Priming is an optimisation: a request that fails here fails nothing
				}
			}
		}
		logger.info("primed the request path with " + statuses.size() + " requests in "
				+ (System.nanoTime() - started) / 1_000_000 + " ms");
		return statuses;
	}

	private static ApiRequest request(String method, String path, String authorization, String body) {
		Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		headers.put("Content-Type", "application/json");
		if (authorization != null) {
			headers.put("Authorization", authorization);
		}
		UnaryOperator<String> header = headers::get;
		byte[] bytes = (body != null) ? body.getBytes(StandardCharsets.UTF_8) : new byte[0];
		return new ApiRequest(method, path, () -> QueryString.parse(null), header, (maxBody) -> Mono.just(bytes),
				PRIMING_ID, null);
	}

}
