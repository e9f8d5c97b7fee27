package dev.kvstore.functions.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP/1.1 over a plain socket, so that a request can be anything at all (invalid UTF-8,
 * CR or LF inside a header, a Content-Length that lies), and a strict reader of what
 * comes back: every byte the server sends must form complete, well-framed responses.
 */
final class RawHttp {

	private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.[01] ([1-5][0-9][0-9])(?: [^\\r\\n]*)?");

	private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

	private static final int MAX_RESPONSE = 8 * 1024 * 1024;

	private RawHttp() {
	}

	/** A response header, its value as ISO-8859-1 text. */
	record Header(String name, String value) {
	}

	/** One parsed response. */
	record Response(int status, List<Header> headers, byte[] body) {

		Optional<String> header(String name) {
			return this.headers.stream()
				.filter((header) -> header.name().equalsIgnoreCase(name))
				.map(Header::value)
				.findFirst();
		}

		String bodyText() {
			return new String(this.body, StandardCharsets.UTF_8);
		}

	}

	/**
	 * What came back on one connection: the responses in order, or why the bytes were not
	 * responses ({@code malformed}), or that the server closed without a byte.
	 */
	record Exchange(List<Response> responses, String malformed, boolean timedOut, long nanos) {

		boolean closedWithoutAnswer() {
			return this.responses.isEmpty() && this.malformed == null && !this.timedOut;
		}

		/**
		 * The final response to the request: interim 1xx answers skipped, an HTTP/0.9
		 * answer (status 0) included.
		 */
		Optional<Response> answer() {
			return this.responses.stream()
				.filter((response) -> response.status() >= 200 || response.status() == 0)
				.findFirst();
		}

	}

	/**
	 * Sends the bytes, half-closes, and reads until the server closes: the server sees
	 * the end of the request wherever its framing says, and then end of stream. An answer
	 * that does not start with a status line is kept whole as one response of status 0:
	 * what Tomcat sends to what it takes for an HTTP/0.9 request. An event stream (a
	 * watch) stays open by design: its head is read, then the connection is closed.
	 */
	static Exchange exchange(int port, byte[] request, boolean head, int timeoutMillis) {
		long start = System.nanoTime();
		ByteArrayOutputStream received = new ByteArrayOutputStream();
		boolean timedOut = false;
		try (Socket socket = new Socket("127.0.0.1", port)) {
			socket.setSoTimeout(timeoutMillis);
			try {
				socket.getOutputStream().write(request);
				socket.getOutputStream().flush();
				socket.shutdownOutput();
			}
			catch (IOException ex) {
				// the server may answer and close before it has read everything (413,
				// 400);
				// what it said is still to be read
			}
			timedOut = readAll(socket.getInputStream(), received);
		}
		catch (IOException ex) {
			// connection refused or reset before anything was read: nothing to parse
		}
		List<Response> responses = new ArrayList<>();
		byte[] bytes = received.toByteArray();
		int streamHead = eventStreamHead(bytes);
		if (streamHead > 0) {
			String malformed = parse(Arrays.copyOf(bytes, streamHead), true, responses);
			return new Exchange(responses, malformed, false, System.nanoTime() - start);
		}
		if (bytes.length > 0
				&& !new String(bytes, 0, Math.min(5, bytes.length), StandardCharsets.ISO_8859_1).equals("HTTP/")) {
			responses.add(new Response(0, List.of(), bytes));
			return new Exchange(responses, null, timedOut, System.nanoTime() - start);
		}
		String malformed = parse(bytes, head, responses);
		return new Exchange(responses, malformed, timedOut, System.nanoTime() - start);
	}

	private static boolean readAll(InputStream in, ByteArrayOutputStream received) {
		byte[] buffer = new byte[16 * 1024];
		try {
			for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
				received.write(buffer, 0, read);
				if (received.size() > MAX_RESPONSE || eventStreamHead(received.toByteArray()) > 0) {
					return false;
				}
			}
		}
		catch (SocketTimeoutException ex) {
			return true;
		}
		catch (IOException ex) {
			// reset after the answer: keep what arrived
		}
		return false;
	}

	/**
	 * The length of the first response's head when it opens an event stream, else 0.
	 */
	private static int eventStreamHead(byte[] bytes) {
		int end = indexOf(bytes, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0);
		if (end < 0) {
			return 0;
		}
		String head = new String(bytes, 0, end, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
		return head.contains("\r\ncontent-type: text/event-stream") ? end + 4 : 0;
	}

	/**
	 * Splits the bytes into responses; returns {@code null} when they are all
	 * well-formed, else what is wrong.
	 */
	static String parse(byte[] bytes, boolean head, List<Response> responses) {
		int at = 0;
		while (at < bytes.length) {
			int end = indexOf(bytes, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), at);
			if (end < 0) {
				return "incomplete response head: " + preview(bytes, at);
			}
			String[] lines = new String(bytes, at, end - at, StandardCharsets.ISO_8859_1).split("\r\n", -1);
			Matcher statusLine = STATUS_LINE.matcher(lines[0]);
			if (!statusLine.matches()) {
				return "bad status line: " + Tries.visible(lines[0]);
			}
			int status = Integer.parseInt(statusLine.group(1));
			List<Header> headers = new ArrayList<>();
			for (int i = 1; i < lines.length; i++) {
				int colon = lines[i].indexOf(':');
				if (colon <= 0 || !TOKEN.matcher(lines[i].substring(0, colon)).matches() || lines[i].indexOf('\r') >= 0
						|| lines[i].indexOf('\n') >= 0) {
					return "bad header line: " + Tries.visible(lines[i]);
				}
				headers.add(new Header(lines[i].substring(0, colon), lines[i].substring(colon + 1).strip()));
			}
			at = end + 4;
			Response framing = new Response(status, headers, new byte[0]);
			boolean noBody = head || status < 200 || status == 204 || status == 304;
			Optional<String> length = framing.header("Content-Length");
			Optional<String> encoding = framing.header("Transfer-Encoding");
			byte[] body;
			if (noBody) {
				body = new byte[0];
			}
			else if (encoding.isPresent()) {
				if (!encoding.get().toLowerCase(Locale.ROOT).equals("chunked")) {
					return "unknown transfer encoding " + encoding.get();
				}
				ByteArrayOutputStream chunks = new ByteArrayOutputStream();
				int next = dechunk(bytes, at, chunks);
				if (next < 0) {
					return "bad chunked body";
				}
				body = chunks.toByteArray();
				at = next;
			}
			else if (length.isPresent()) {
				if (!length.get().matches("[0-9]{1,9}")) {
					return "bad Content-Length " + length.get();
				}
				int size = Integer.parseInt(length.get());
				if (at + size > bytes.length) {
					return "body shorter than its Content-Length " + size;
				}
				body = java.util.Arrays.copyOfRange(bytes, at, at + size);
				at += size;
			}
			else {
				// delimited by the end of the connection
				body = java.util.Arrays.copyOfRange(bytes, at, bytes.length);
				at = bytes.length;
			}
			responses.add(new Response(status, headers, body));
		}
		return null;
	}

	private static int dechunk(byte[] bytes, int at, ByteArrayOutputStream chunks) {
		while (true) {
			int lineEnd = indexOf(bytes, "\r\n".getBytes(StandardCharsets.US_ASCII), at);
			if (lineEnd < 0) {
				return -1;
			}
			String sizeLine = new String(bytes, at, lineEnd - at, StandardCharsets.ISO_8859_1);
			int semicolon = sizeLine.indexOf(';');
			String hex = ((semicolon < 0) ? sizeLine : sizeLine.substring(0, semicolon)).strip();
			if (!hex.matches("[0-9A-Fa-f]{1,7}")) {
				return -1;
			}
			int size = Integer.parseInt(hex, 16);
			at = lineEnd + 2;
			if (size == 0) {
				int trailerEnd = indexOf(bytes, "\r\n".getBytes(StandardCharsets.US_ASCII), at);
				return (trailerEnd == at) ? at + 2 : -1;
			}
			if (at + size + 2 > bytes.length) {
				return -1;
			}
			chunks.write(bytes, at, size);
			at += size + 2;
		}
	}

	static int indexOf(byte[] bytes, byte[] pattern, int from) {
		outer: for (int i = from; i <= bytes.length - pattern.length; i++) {
			for (int j = 0; j < pattern.length; j++) {
				if (bytes[i + j] != pattern[j]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

	private static String preview(byte[] bytes, int at) {
		return Tries.visible(new String(bytes, at, Math.min(200, bytes.length - at), StandardCharsets.ISO_8859_1));
	}

}
