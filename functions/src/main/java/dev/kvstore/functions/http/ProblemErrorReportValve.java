package dev.kvstore.functions.http;

import java.io.IOException;
import java.io.Writer;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;

import dev.kvstore.json.ApiJson;
import dev.kvstore.problem.ApiException;
import dev.kvstore.problem.Problem;

/**
 * Tomcat's own error page, for requests it refuses before they reach the application (a
 * malformed request line, a path it cannot normalise, headers too large): problem+json
 * like every other answer, and never a stack trace or server version.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

	@Override
	protected void report(Request request, Response response, Throwable throwable) {
		int status = response.getStatus();
		if (status < 400 || response.getContentWritten() > 0) {
			return;
		}
		AtomicBoolean ioAllowed = new AtomicBoolean();
		response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
		if (!ioAllowed.get()) {
			return;
		}
		Problem problem = switch (status) {
			case 404 -> Problem.of(new ApiException.NoRoute("no endpoint at this path"));
			case 405 -> Problem.of(new ApiException.MethodNotAllowed("this method is not allowed here",
					Objects.requireNonNullElse(response.getHeader("Allow"), "")));
			case 413 -> Problem.of(new ApiException.TooLarge("the request is too large"));
			case 501, 505 -> Problem.notSupported(status);
			case 503 -> Problem.of(new ApiException.Unavailable("the server is not taking requests now"));
			default -> (status >= 500) ? withStatus(Problem.internal(), status)
					: withStatus(Problem.of(new ApiException.Malformed("the request could not be read")), status);
		};
		if (problem.status() == 503) {
			response.setHeader("Retry-After", "1");
		}
		try {
			response.setContentType(Problem.MEDIA_TYPE);
			response.setCharacterEncoding("UTF-8");
			Writer writer = response.getReporter();
			if (writer != null) {
				writer.write(ApiJson.mapper().writeValueAsString(problem));
			}
		}
		catch (IOException | IllegalStateException ex) {
			// the client is gone or the response is committed: nothing more to say
		}
	}

	private static Problem withStatus(Problem problem, int status) {
		return new Problem(problem.type(), problem.title(), status, problem.detail(), problem.keys(), null);
	}

}
