package dev.kvstore.functions.kv;

import java.util.function.Function;

import reactor.core.publisher.Mono;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

import dev.kvstore.kv.CountQuery;
import dev.kvstore.kv.Entry;
import dev.kvstore.kv.EntryKey;
import dev.kvstore.kv.EntryRepository;
import dev.kvstore.kv.EntryUpdate;
import dev.kvstore.kv.KeyBatch;
import dev.kvstore.kv.NewEntries;
import dev.kvstore.kv.NewEntry;
import dev.kvstore.kv.PageQuery;
import dev.kvstore.kv.Preconditions;
import dev.kvstore.kv.Responses.BulkDeletion;
import dev.kvstore.kv.Responses.BulkRead;
import dev.kvstore.kv.Responses.Count;
import dev.kvstore.kv.Responses.Created;
import dev.kvstore.kv.Responses.Deleted;
import dev.kvstore.kv.Responses.CursorPage;
import dev.kvstore.kv.Responses.Listing;
import dev.kvstore.kv.Responses.Existence;
import dev.kvstore.kv.Responses.TimeToLive;
import dev.kvstore.tenant.Caller;
import dev.kvstore.tenant.TenantId;

/**
 * One function per key endpoint. Each reads the caller (and a write its conditions) from
 * its message and makes one repository call, which blocks no thread.
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
	public Function<Message<KeyBatch>, Mono<BulkRead>> getKeys(EntryRepository entries) {
		return (request) -> entries.findMany(Caller.of(request), request.getPayload());
	}

	@Bean
	public Function<Message<KeyBatch>, Mono<BulkDeletion>> deleteKeys(EntryRepository entries) {
		return (request) -> entries.deleteMany(Caller.of(request), request.getPayload());
	}

	@Bean
	public Function<Message<EntryKey>, Mono<Entry>> getKey(EntryRepository entries) {
		return (request) -> entries.find(Caller.of(request), request.getPayload().key());
	}

	@Bean
	public Function<Message<EntryUpdate>, Mono<Entry>> updateKey(EntryRepository entries) {
		return (request) -> entries.update(Caller.of(request), request.getPayload(), Preconditions.of(request));
	}

	@Bean
	public Function<Message<EntryKey>, Mono<Deleted>> deleteKey(EntryRepository entries) {
		return (request) -> entries.delete(Caller.of(request), request.getPayload().key(), Preconditions.of(request))
			.thenReturn(Deleted.INSTANCE);
	}

	/**
	 * A numbered page, or a page of a walk by key whose cursors are sealed to the
	 * caller's tenant and listing.
	 */
	@Bean
	public Function<Message<PageQuery>, Mono<Listing>> listKeys(EntryRepository entries, Cursors cursors) {
		return (request) -> {
			Caller caller = Caller.of(request);
			PageQuery query = request.getPayload();
			if (!query.isWalk()) {
				return entries.page(caller, query).cast(Listing.class);
			}
			TenantId tenant = caller.requiredTenant();
			String after = (query.cursor() != null) ? cursors.open(tenant, query, query.cursor()) : "";
			return entries.walk(caller, query, after)
				.map((walked) -> new CursorPage(walked.items(),
						(walked.lastKey() != null) ? cursors.seal(tenant, query, walked.lastKey()) : null));
		};
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
	public Function<Message<CountQuery>, Mono<Count>> countKeys(EntryRepository entries) {
		return (request) -> entries.count(Caller.of(request), request.getPayload().prefix()).map(Count::new);
	}

}
