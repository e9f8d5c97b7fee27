package dev.kvstore.routing;

import java.util.List;

/**
 * One public endpoint. Both edges (HTTP and Lambda), the SAM template and the API docs
 * are held to this table.
 *
 * @param method the HTTP method
 * @param path the path template; a {@code {name}} segment is a variable
 * @param function the name of the function bean that serves it
 * @param access whether a bearer access token is required
 * @param status the status of a successful answer
 * @param streams whether its answer is an event stream that stays open: only the HTTP
 * edge serves it (a Lambda answers once, whole)
 */
public record Route(String method, String path, String function, Access access, int status, boolean streams) {

	/** A route whose answer is one whole body. */
	public Route(String method, String path, String function, Access access, int status) {
		this(method, path, function, access, status, false);
	}

	public enum Access {

		PUBLIC, BEARER

	}

	/** The path's segments, without the leading empty one. */
	List<String> segments() {
		return List.of(this.path.substring(1).split("/", -1));
	}

}
