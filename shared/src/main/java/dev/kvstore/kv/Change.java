package dev.kvstore.kv;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;

/**
 * One change to an entry as a watch sends it.
 *
 * @param id its position: the id of its audit event, which is also the entity tag it gave
 * the entry; a watch resumes after it
 * @param operation create, update, delete or expire
 * @param key the entry's key
 * @param version the entry's version after the change (a delete's: the version removed)
 * @param at when it happened
 * @param value the value written, as stored JSON, when the watch asked for values and no
 * later write has replaced it yet (that write's change carries its own); else left out
 */
public record Change(@JsonIgnore String id, @JsonIgnore String operation, String key, Long version, Instant at,
		@JsonRawValue @JsonInclude(JsonInclude.Include.NON_NULL) String value) {

	/** The audit operations a watch reports, by the name it reports them under. */
	static String reported(String operation) {
		return operation.equals("batch") ? "create" : operation;
	}

}
