package dev.kvstore;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * A redis-server of a test's own, on a spare loopback port and in a temporary directory,
 * which the test can crash and start again: never the machine's shared Redis. The binary
 * is the machine's or embedded-redis's ({@link TestServices#redisServer()}). Its
 * append-only file is fsynced on every write, so what it acknowledged survives a crash.
 */
public final class RedisProcess implements AutoCloseable {

	private static final Duration START_TIMEOUT = Duration.ofSeconds(15);

	private final int port;

	private final Path dir;

	private final List<String> settings;

	private Process process;

	private RedisProcess(int port, Path dir, List<String> settings) {
		this.port = port;
		this.dir = dir;
		this.settings = settings;
	}

	/**
	 * Starts a server on a free port; {@code settings} are extra redis-server options.
	 */
	public static RedisProcess start(String... settings) {
		return start(freePort(), settings);
	}

	public static RedisProcess start(int port, String... settings) {
		try {
			RedisProcess redis = new RedisProcess(port, Files.createTempDirectory("kvstore-redis-" + port),
					List.of(settings));
			redis.restart();
			return redis;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public int port() {
		return this.port;
	}

	/** Kills the server without letting it save or say goodbye, as a crash would. */
	public void kill() {
		if (this.process != null && this.process.isAlive()) {
			this.process.destroyForcibly();
			try {
				this.process.waitFor();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/** Starts the server (again) on the same port and directory, and waits for PONG. */
	public void restart() {
		kill();
		List<String> command = new ArrayList<>(List.of(TestServices.redisServer(), "--port",
				Integer.toString(this.port), "--bind", "127.0.0.1", "--dir", this.dir.toString(), "--appendonly", "yes",
				"--appendfsync", "always", "--save", "", "--logfile", this.dir.resolve("redis.log").toString()));
		for (String setting : this.settings) {
			command.addAll(List.of(setting.split(" ")));
		}
		try {
			this.process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot run redis-server", ex);
		}
		await().atMost(START_TIMEOUT).ignoreExceptions().until(() -> command("PING").startsWith("+PONG"));
	}

	/**
	 * Sends one inline command and returns its reply: a bulk string's content, or the
	 * reply line itself (e.g. {@code +OK}, {@code -ERR ...}).
	 */
	public String command(String inline) throws IOException {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.port)) {
			socket.setSoTimeout(5000);
			OutputStream out = socket.getOutputStream();
			out.write((inline + "\r\n").getBytes(StandardCharsets.UTF_8));
			out.flush();
			InputStream in = socket.getInputStream();
			String line = readLine(in);
			if (line.startsWith("$") && !line.equals("$-1")) {
				return new String(in.readNBytes(Integer.parseInt(line.substring(1))), StandardCharsets.UTF_8);
			}
			return line;
		}
	}

	/**
	 * Sends one command as a RESP array (no length limit, any bytes in its arguments) and
	 * returns its reply as {@link #command(String)} does.
	 */
	public String command(List<String> arguments) throws IOException {
		StringBuilder request = new StringBuilder("*").append(arguments.size()).append("\r\n");
		for (String argument : arguments) {
			request.append('$')
				.append(argument.getBytes(StandardCharsets.UTF_8).length)
				.append("\r\n")
				.append(argument)
				.append("\r\n");
		}
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.port)) {
			socket.setSoTimeout(5000);
			socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.UTF_8));
			socket.getOutputStream().flush();
			return readLine(socket.getInputStream());
		}
	}

	private static String readLine(InputStream in) throws IOException {
		StringBuilder line = new StringBuilder();
		for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
			line.append((char) b);
		}
		return line.toString().strip();
	}

	@Override
	public void close() {
		kill();
		try (Stream<Path> files = Files.walk(this.dir)) {
			files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
		}
		catch (IOException ex) {
			// a temporary directory left behind is harmless
		}
	}

	/** Whether nothing listens on the loopback port. */
	static boolean isFree(int port) {
		try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	public static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
