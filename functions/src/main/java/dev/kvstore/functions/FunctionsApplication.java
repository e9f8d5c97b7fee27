package dev.kvstore.functions;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.data.redis.autoconfigure.observation.LettuceObservationAutoConfiguration;

/**
 * The functions app. Redis command latency is recorded by Lettuce itself (see
 * {@code RedisClientConfiguration}), not by a Micrometer observation around every
 * command.
 */
@SpringBootApplication(exclude = LettuceObservationAutoConfiguration.class)
public class FunctionsApplication {

	/**
	 * Netty's HTTP event loops: one per core (Reactor's default is at least 4, which on
	 * two cores only adds context switches). A system property set explicitly wins.
	 */
	private static final String IO_WORKERS = "reactor.netty.ioWorkerCount";

	public static void main(String[] args) {
		if (System.getProperty(IO_WORKERS) == null) {
			System.setProperty(IO_WORKERS, Integer.toString(Runtime.getRuntime().availableProcessors()));
		}
		SpringApplication.run(FunctionsApplication.class, args);
	}

}
