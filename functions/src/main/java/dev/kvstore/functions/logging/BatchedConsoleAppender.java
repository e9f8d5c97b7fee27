package dev.kvstore.functions.logging;

import java.io.BufferedOutputStream;
import java.io.IOException;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.joran.spi.ConsoleTarget;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * The console for the lines of one logger that a single thread writes in batches: each
 * line is encoded by the console appender's own encoder (plain or structured, as Spring
 * Boot configured it), and a batch reaches {@code System.out} in writes of whole lines of
 * at most {@value #WHOLE_WRITE} bytes, not one write per line. A pipe never splits a
 * write that size, so these lines do not interleave with the console's other lines, which
 * {@code System.out} serialises with them.
 */
final class BatchedConsoleAppender extends OutputStreamAppender<ILoggingEvent> {

	/** PIPE_BUF on Linux: a write to a pipe of at most this many bytes is never split. */
	private static final int WHOLE_WRITE = 4096;

	private static final String NAME = "BATCHED_CONSOLE";

	/** Spring Boot's console appender, and the one it sits behind once moved there. */
	private static final String CONSOLE = "CONSOLE";

	private static final String ASYNC_CONSOLE = "ASYNC_CONSOLE";

	/**
	 * Sends the named logger's lines to a batched console instead of the root's
	 * appenders, when Logback (which the app always ships) has a console appender.
	 * @return what ends a batch: writes what is buffered; nothing when not batched
	 */
	static Runnable attachTo(String loggerName) {
		if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
			return () -> {
			};
		}
		Logger logger = context.getLogger(loggerName);
		if (logger.getAppender(NAME) instanceof BatchedConsoleAppender attached) {
			return attached::endBatch;
		}
		Encoder<ILoggingEvent> encoder = consoleEncoder(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME));
		if (encoder == null) {
			return () -> {
			};
		}
		BatchedConsoleAppender appender = new BatchedConsoleAppender();
		appender.setContext(context);
		appender.setName(NAME);
		appender.setEncoder(encoder);
		appender.setImmediateFlush(false);
		appender.setOutputStream(new BufferedOutputStream(ConsoleTarget.SystemOut.getStream(), WHOLE_WRITE));
		appender.start();
		logger.addAppender(appender);
		logger.setAdditive(false);
		return appender::endBatch;
	}

	private static @Nullable Encoder<ILoggingEvent> consoleEncoder(Logger root) {
		Appender<ILoggingEvent> console = root.getAppender(CONSOLE);
		if (console == null && root.getAppender(ASYNC_CONSOLE) instanceof AsyncAppender async) {
			console = async.getAppender(CONSOLE);
		}
		return (console instanceof OutputStreamAppender<ILoggingEvent> stream) ? stream.getEncoder() : null;
	}

	/** Writes the lines buffered so far. */
	private void endBatch() {
		this.streamWriteLock.lock();
		try {
			getOutputStream().flush();
		}
		catch (IOException ex) {
			addError("Could not write the request log's lines to the console", ex);
		}
		finally {
			this.streamWriteLock.unlock();
		}
	}

}
