package dev.kvstore.functions.kv;

import java.util.function.Function;

import reactor.core.publisher.Mono;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

import dev.kvstore.kv.Entry;
import dev.kvstore.kv.EntryKey;
import dev.kvstore.kv.EntryRepository;
import dev.kvstore.kv.EntryUpdate;
import dev.kvstore.kv.NewEntries;
import dev.kvstore.kv.NewEntry;
import dev.kvstore.kv.PageQuery;
import dev.kvstore.kv.Responses.Count;
import dev.kvstore.kv.Responses.Created;
import dev.kvstore.kv.Responses.Deleted;
import dev.kvstore.kv.Responses.EntryPage;
import dev.kvstore.kv.Responses.Existence;
import dev.kvstore.kv.Responses.TimeToLive;
import dev.kvstore.tenant.Caller;

/**
 * One function per key endpoint. Each reads the caller from its message and makes one
 * repository call, which blocks no thread.
 */
@Configuration(proxyBeanMethods = false)
public class KeyFunctions {

	@Bean
	public Function<Message<NewEntry>, Mono<Entry>> createKey(EntryRepository entries) {
		return (request) -> entries.create(Caller.of(request), request.getPayload());
	}

	@Bean
	public Function<Message<NewEntries>, Mono<Created>> createKeys(EntryRepository entries) {
		return (request) -> entries.createAll(Caller.of(request), request.getPayload().items())
			.map((created) -> new Created(created.size(), created.size(), created));
	}

	@Bean
	public Function<Message<EntryKey>, Mono<Entry>> getKey(EntryRepository entries) {
		return (request) -> entries.find(Caller.of(request), request.getPayload().key());
	}

	@Bean
	public Function<Message<EntryUpdate>, Mono<Entry>> updateKey(EntryRepository entries) {
		return (request) -> entries.update(Caller.of(request), request.getPayload());
	}

	@Bean
	public Function<Message<EntryKey>, Mono<Deleted>> deleteKey(EntryRepository entries) {
		return (request) -> entries.delete(Caller.of(request), request.getPayload().key()).thenReturn(Deleted.INSTANCE);
	}

	@Bean
	public Function<Message<PageQuery>, Mono<EntryPage>> listKeys(EntryRepository entries) {
		return (request) -> entries.page(Caller.of(request), request.getPayload());
	}

	@Bean
	public Function<Message<EntryKey>, Mono<Existence>> keyExists(EntryRepository entries) {
		return (request) -> entries.exists(Caller.of(request), request.getPayload().key()).map(Existence::new);
	}

	@Bean
	public Function<Message<EntryKey>, Mono<TimeToLive>> keyTtl(EntryRepository entries) {
		return (request) -> entries.timeToLive(Caller.of(request), request.getPayload().key());
	}

	@Bean
	public Function<Caller, Mono<Count>> countKeys(EntryRepository entries) {
		return (caller) -> entries.count(caller).map(Count::new);
	}

}
