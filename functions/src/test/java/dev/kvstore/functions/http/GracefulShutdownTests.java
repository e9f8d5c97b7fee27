package dev.kvstore.functions.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.kvstore.TestRedis;
import dev.kvstore.functions.ApiClient;
import dev.kvstore.functions.ApiTest;
import dev.kvstore.functions.FunctionsApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What Knative's SIGTERM does to a pod: the app stops taking new connections, but a
 * request already in flight (here, one whose body is still arriving) is served to the end
 * before it exits.
 */
class GracefulShutdownTests {

	@Test
	void finishesARequestInFlightWhileRefusingNewOnes() throws Exception {
		ConfigurableApplicationContext app = start();
		int port = ((WebServerApplicationContext) app).getWebServer().getPort();
		String token = new ApiClient(port).register().accessToken();
		byte[] body = "{\"key\":\"in-flight\",\"value\":\"finished after SIGTERM\"}".getBytes(StandardCharsets.UTF_8);

		try (Socket socket = new Socket("127.0.0.1", port)) {
			OutputStream out = socket.getOutputStream();
			out.write(("POST /api/v1/kv HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer "
					+ token + "\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.write(body, 0, 10);
			out.flush();
			// The app is serving it (reading the rest of the body), not merely holding
			// the bytes.
			MeterRegistry meters = app.getBean(MeterRegistry.class);
			await().atMost(Duration.ofSeconds(5)).until(() -> meters.get("active_connections").gauge().value() >= 1);

			CompletableFuture<Void> shutdown = CompletableFuture.runAsync(app::close);
			await().atMost(Duration.ofSeconds(10)).until(() -> refusesConnections(port));
			out.write(body, 10, body.length - 10);
			out.flush();
			String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			shutdown.get();

			assertThat(response).startsWith("HTTP/1.1 201").contains("finished after SIGTERM");
			assertThat(app.isActive()).isFalse();
		}
	}

	/**
	 * An open watch would hold the graceful shutdown for its whole timeout: it ends as
	 * the shutdown begins, and the app exits well before that timeout (20 s).
	 */
	@Test
	void endsOpenWatchesAtOnce() throws Exception {
		ConfigurableApplicationContext app = start();
		int port = ((WebServerApplicationContext) app).getWebServer().getPort();
		String token = new ApiClient(port).register().accessToken();

		try (Socket socket = new Socket("127.0.0.1", port)) {
			socket.getOutputStream()
				.write(("GET /api/v1/watch HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token + "\r\n\r\n")
					.getBytes(StandardCharsets.US_ASCII));
			InputStream in = socket.getInputStream();
			assertThat(new String(in.readNBytes(12), StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");

			long start = System.nanoTime();
			app.close();
			String rest = new String(in.readAllBytes(), StandardCharsets.UTF_8);

			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
			assertThat(rest).contains(": watching").endsWith("0\r\n\r\n");
		}
	}

	private static ConfigurableApplicationContext start() {
		return new SpringApplicationBuilder(FunctionsApplication.class).run("--server.port=0",
				"--spring.data.redis.host=" + TestRedis.host(), "--SECRET_KEY=" + ApiTest.SECRET,
				"--BCRYPT_STRENGTH=4");
	}

	/**
	 * The request has reached the app: it is waiting for the rest of the body, not
	 * queued.
	 */
	private static boolean isServing(Socket socket) {
		return socket.isConnected();
	}

	private static boolean refusesConnections(int port) {
		try (Socket probe = new Socket()) {
			probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
			return false;
		}
		catch (IOException ex) {
			return true;
		}
	}

}
