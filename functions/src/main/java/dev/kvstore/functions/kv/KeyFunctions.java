package dev.kvstore.functions.kv;

import java.util.function.Function;

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
import dev.kvstore.tenant.TenantId;

/**
 * One function per key endpoint. Each reads the caller's tenant from its message and
 * makes one repository call.
 */
@Configuration(proxyBeanMethods = false)
public class KeyFunctions {

	@Bean
	public Function<Message<NewEntry>, Entry> createKey(EntryRepository entries) {
		return (request) -> entries.create(TenantId.of(request), request.getPayload());
	}

	@Bean
	public Function<Message<NewEntries>, Created> createKeys(EntryRepository entries) {
		return (request) -> {
			var created = entries.createAll(TenantId.of(request), request.getPayload().items());
			return new Created(created.size(), created.size(), created);
		};
	}

	@Bean
	public Function<Message<EntryKey>, Entry> getKey(EntryRepository entries) {
		return (request) -> entries.find(TenantId.of(request), request.getPayload().key());
	}

	@Bean
	public Function<Message<EntryUpdate>, Entry> updateKey(EntryRepository entries) {
		return (request) -> entries.update(TenantId.of(request), request.getPayload());
	}

	@Bean
	public Function<Message<EntryKey>, Deleted> deleteKey(EntryRepository entries) {
		return (request) -> {
			entries.delete(TenantId.of(request), request.getPayload().key());
			return Deleted.INSTANCE;
		};
	}

	@Bean
	public Function<Message<PageQuery>, EntryPage> listKeys(EntryRepository entries) {
		return (request) -> entries.page(TenantId.of(request), request.getPayload());
	}

	@Bean
	public Function<Message<EntryKey>, Existence> keyExists(EntryRepository entries) {
		return (request) -> new Existence(entries.exists(TenantId.of(request), request.getPayload().key()));
	}

	@Bean
	public Function<Message<EntryKey>, TimeToLive> keyTtl(EntryRepository entries) {
		return (request) -> entries.timeToLive(TenantId.of(request), request.getPayload().key());
	}

	@Bean
	public Function<TenantId, Count> countKeys(EntryRepository entries) {
		return (tenant) -> new Count(entries.count(tenant));
	}

}
