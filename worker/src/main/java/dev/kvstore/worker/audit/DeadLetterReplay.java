package dev.kvstore.worker.audit;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * Sends the audit events in the dead-letter queue back to the audit exchange, so the
 * worker stores them: events that failed while the worker's Redis was away longer than
 * the retries last. Storing is idempotent, so an event replayed twice is stored once; one
 * that still cannot be stored goes back to the dead-letter queue after its retries. A run
 * moves at most the messages the queue held when it began, so it always ends. Each
 * message leaves the queue only once the broker has confirmed its copy on the exchange.
 */
public class DeadLetterReplay {

	private static final Log logger = LogFactory.getLog(DeadLetterReplay.class);

	/**
	 * Headers the binder adds when it dead-letters: the failure, with its stack trace.
	 */
	private static final String EXCEPTION_HEADERS = "x-exception-";

	private final RabbitTemplate rabbit;

	private final String exchange;

	private final String deadLetterQueue;

	/**
	 * @param exchange the audit exchange
	 * @param deadLetterQueue the worker's dead-letter queue
	 * ({@code <exchange>.worker.dlq})
	 */
	public DeadLetterReplay(RabbitTemplate rabbit, String exchange, String deadLetterQueue) {
		this.rabbit = rabbit;
		this.exchange = exchange;
		this.deadLetterQueue = deadLetterQueue;
	}

	/** How many events wait in the dead-letter queue; NaN when the broker cannot say. */
	public double waiting() {
		try {
			Long count = this.rabbit.execute((channel) -> channel.messageCount(this.deadLetterQueue));
			return (count != null) ? count : Double.NaN;
		}
		catch (RuntimeException ex) {
			// No broker, or no such queue (dead-lettering off): nothing to tell.
			return Double.NaN;
		}
	}

	/** Moves the dead letters back; how many it moved. */
	public int replay() {
		Integer moved = this.rabbit.execute((channel) -> {
			long waiting = channel.messageCount(this.deadLetterQueue);
			channel.confirmSelect();
			int count = 0;
			while (count < waiting) {
				GetResponse dead = channel.basicGet(this.deadLetterQueue, false);
				if (dead == null) {
					break;
				}
				republish(channel, dead);
				count++;
			}
			return count;
		});
		logger.info("replayed " + moved + " dead-lettered audit events from " + this.deadLetterQueue);
		return moved;
	}

	private void republish(Channel channel, GetResponse dead) throws IOException {
		AMQP.BasicProperties properties = dead.getProps();
		Map<String, Object> headers = new HashMap<>();
		if (properties.getHeaders() != null) {
			properties.getHeaders().forEach((name, value) -> {
				if (!name.startsWith(EXCEPTION_HEADERS)) {
					headers.put(name, value);
				}
			});
		}
		Object routingKey = headers.getOrDefault("x-original-routingKey", "audit");
		channel.basicPublish(this.exchange, routingKey.toString(), properties.builder().headers(headers).build(),
				dead.getBody());
		try {
			channel.waitForConfirmsOrDie(10_000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("interrupted while waiting for the broker's confirm", ex);
		}
		catch (TimeoutException ex) {
			throw new IOException("the broker did not confirm a replayed event", ex);
		}
		channel.basicAck(dead.getEnvelope().getDeliveryTag(), false);
	}

}
