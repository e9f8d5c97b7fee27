package dev.kvstore.functions.dispatch;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.cloud.function.context.catalog.SimpleFunctionRegistry.FunctionInvocationWrapper;
import org.springframework.core.ResolvableType;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

import dev.kvstore.kv.Preconditions;
import dev.kvstore.tenant.Caller;

/**
 * A function bean from the catalog and how to call it. What it takes is read from its
 * type: nothing (a {@code Supplier}), the {@link Caller} alone, or a {@link Message} of
 * the request with the caller in its {@link Caller#HEADER} header (and its conditions in
 * {@link Preconditions#HEADER}, when it has any). What it returns decides the thread: a
 * bean that returns a {@code Mono} never blocks and runs where the request is; any other
 * may block (BCrypt, a blocking Redis call) and runs on a worker thread, never on an
 * event loop.
 */
final class Endpoint {

	private static final Executor WORKERS = (task) -> Schedulers.boundedElastic().schedule(task);

	private enum Input {

		NONE, CALLER, MESSAGE

	}

	private final Object function;

	private final Input input;

	private final Class<?> payloadType;

	private final boolean reactive;

	private Endpoint(Object function, Input input, Class<?> payloadType, boolean reactive) {
		this.function = function;
		this.input = input;
		this.payloadType = payloadType;
		this.reactive = reactive;
	}

	static Endpoint of(FunctionInvocationWrapper bean) {
		boolean reactive = bean.isOutputTypePublisher();
		if (bean.isSupplier()) {
			return new Endpoint(bean.getTarget(), Input.NONE, Void.class, reactive);
		}
		ResolvableType type = ResolvableType.forType(bean.getInputType());
		if (type.toClass() == Caller.class) {
			return new Endpoint(bean.getTarget(), Input.CALLER, Caller.class, reactive);
		}
		if (Message.class.isAssignableFrom(type.toClass())) {
			return new Endpoint(bean.getTarget(), Input.MESSAGE, type.getGeneric(0).toClass(), reactive);
		}
		throw new IllegalStateException("function " + bean.getFunctionDefinition()
				+ " must take a Message of its request, or the Caller, or nothing");
	}

	/** The type of the request a {@code Message} bean takes. */
	Class<?> payloadType() {
		return this.payloadType;
	}

	boolean takesPayload() {
		return this.input == Input.MESSAGE;
	}

	/**
	 * The bean's result, empty for none (a {@code Consumer}, an empty {@code Mono}). A
	 * message carries the request's conditions when it has any.
	 */
	Mono<Object> call(Caller caller, Preconditions conditions, Supplier<Object> payload) {
		if (this.reactive) {
			return Mono.defer(() -> asMono(apply(caller, conditions, payload)));
		}
		return onWorkerThread(() -> apply(caller, conditions, payload));
	}

	/**
	 * Runs blocking work on a worker thread. A request cancelled (the client went away)
	 * before its work starts skips it; work already started runs to its end: interrupting
	 * it half-way would stop an account change between its steps and fail its Redis call
	 * with an error nobody asked for. (Cancelling a {@link CompletableFuture} never
	 * interrupts its task.)
	 */
	static Mono<Object> onWorkerThread(Supplier<Object> work) {
		// The work's failure travels as a value: one that comes after the request was
		// cancelled is then dropped quietly, not logged as an error nobody could see.
		return Mono.fromFuture(() -> CompletableFuture.supplyAsync(() -> Outcome.of(work), WORKERS))
			.handle((outcome, sink) -> {
				if (outcome.failure() != null) {
					sink.error(outcome.failure());
				}
				else if (outcome.value() != null) {
					sink.next(outcome.value());
				}
			});
	}

	/** What blocking work came to: a value (null for none) or a failure. */
	private record Outcome(Object value, RuntimeException failure) {

		static Outcome of(Supplier<Object> work) {
			try {
				return new Outcome(work.get(), null);
			}
			catch (RuntimeException ex) {
				return new Outcome(null, ex);
			}
		}

	}

	private static Message<Object> message(Object payload, Caller caller, Preconditions conditions) {
		MessageBuilder<Object> message = MessageBuilder.withPayload(payload).setHeader(Caller.HEADER, caller);
		if (conditions != Preconditions.NONE) {
			message.setHeader(Preconditions.HEADER, conditions);
		}
		return message.build();
	}

	@SuppressWarnings("unchecked")
	private static Mono<Object> asMono(Object result) {
		return (Mono<Object>) result;
	}

	@SuppressWarnings("unchecked")
	private Object apply(Caller caller, Preconditions conditions, Supplier<Object> payload) {
		Object argument = switch (this.input) {
			case NONE -> null;
			case CALLER -> caller;
			case MESSAGE -> message(payload.get(), caller, conditions);
		};
		return switch (this.function) {
			case Supplier<?> supplier -> supplier.get();
			case Function<?, ?> function -> ((Function<Object, Object>) function).apply(argument);
			case Consumer<?> consumer -> {
				((Consumer<Object>) consumer).accept(argument);
				yield null;
			}
			default -> throw new IllegalStateException("not a function: " + this.function.getClass());
		};
	}

}
