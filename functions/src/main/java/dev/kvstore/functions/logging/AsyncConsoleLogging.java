package dev.kvstore.functions.logging;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * Moves the console appender Spring Boot configured (plain or structured) behind an
 * {@link AsyncAppender}, so that the line per request is formatted and written on a
 * logging thread, not on the request's. Nothing is dropped: a full queue makes callers
 * wait, and stopping drains the queue. The request log's lines, which a thread of their
 * own writes already, do not pass here ({@link BatchedConsoleAppender}).
 */
@Component
@ConditionalOnClass(name = "ch.qos.logback.classic.LoggerContext")
class AsyncConsoleLogging implements ApplicationListener<ApplicationStartedEvent> {

	private static final String CONSOLE = "CONSOLE";

	@Override
	public void onApplicationEvent(ApplicationStartedEvent event) {
		if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
			return;
		}
		Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
		Appender<ILoggingEvent> console = root.getAppender(CONSOLE);
		if (console == null) {
			return;
		}
		AsyncAppender async = new AsyncAppender();
		async.setContext(context);
		async.setName("ASYNC_" + CONSOLE);
		async.setQueueSize(8192);
		async.setDiscardingThreshold(0);
		async.setNeverBlock(false);
		// Stopping (Spring Boot stops logging last, after the application context)
		// drains the queue for up to this long, so a clean shutdown loses no line.
		async.setMaxFlushTime(10_000);
		async.addAppender(console);
		async.start();
		root.addAppender(async);
		root.detachAppender(console);
	}

}
