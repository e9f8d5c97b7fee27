package dev.kvstore.functions.dispatch;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Blocking beans run on worker threads, and a request cancelled on the way (the client
 * went away) lets that work finish.
 */
class EndpointTests {

	@Test
	void aCancelledRequestLetsItsBlockingWorkFinishUninterrupted() throws InterruptedException {
		CountDownLatch started = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch finished = new CountDownLatch(1);
		AtomicBoolean interrupted = new AtomicBoolean();
		Disposable request = Endpoint.onWorkerThread(() -> {
			started.countDown();
			try {
				release.await(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				interrupted.set(true);
			}
			finished.countDown();
			return "done";
		}).subscribe();
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

		request.dispose();
		release.countDown();

		assertThat(finished.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(interrupted).isFalse();
	}

	@Test
	void passesTheWorksFailureOnAsItIs() {
		IllegalStateException failure = new IllegalStateException("no");

		assertThatThrownBy(() -> Endpoint.onWorkerThread(() -> {
			throw failure;
		}).block()).isSameAs(failure);
	}

}
