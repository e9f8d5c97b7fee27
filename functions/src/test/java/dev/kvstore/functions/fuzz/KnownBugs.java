package dev.kvstore.functions.fuzz;

/**
 * Inputs the generators hold back while a bug they found is open, so that the suite stays
 * green on what is known and keeps failing on anything new. Each bug has a disabled
 * reproducer in {@link KnownBugTests}; once it is fixed, enable the reproducer and drop
 * the flag. {@code -Dfuzz.known-bugs=true} generates them all again.
 */
final class KnownBugs {

	private static final boolean GENERATE = Boolean.getBoolean("fuzz.known-bugs");

	/**
	 * A key holding U+0000 is created, but every path that names it ({@code %00}) is
	 * refused by Tomcat with 400: the entry can never be read, changed or deleted alone.
	 * {@link KnownBugTests#keyWithNulCharacterCanBeReadAndDeletedThroughItsPath()}.
	 */
	static final boolean NUL_IN_KEYS = GENERATE;

	/**
	 * A JSON string with an escaped unpaired surrogate ({@code "\\ud800"}) as a value is
	 * stored with {@code ?} in its place, and create and batch answer 500 after storing
	 * it. {@link KnownBugTests#valueWithUnpairedSurrogateIsRefusedOrKeptExactly()}.
	 */
	static final boolean UNPAIRED_SURROGATES_IN_VALUES = GENERATE;

	/**
	 * A body the server cannot read to its end (a Content-Length longer than what the
	 * client sends before it closes, a chunk size that is not one) fails in HttpEdge with
	 * an IOException, which the dispatcher logs at ERROR and answers 500; the servlet
	 * error dispatch then re-serves the request as {@code /error}, which the route table
	 * answers 404 no-route. The same dispatch turns Tomcat's 405 for TRACE into 404.
	 * While this is open the fuzzer counts those outcomes instead of failing on them.
	 * {@link KnownBugTests#malformedChunkedBodyIsA400NotA500AnsweredAs404()}.
	 */
	static final boolean BODY_READ_FAILURES_ARE_500 = GENERATE;

	/**
	 * A Content-Type with a wildcard ({@code *}{@code /*}, {@code application/*}) makes
	 * Spring's ServerRequest throw before the dispatcher runs: 500 on every route, three
	 * ERROR logs with stack traces. {@link KnownBugTests#wildcardContentTypeIsNotA500()}.
	 */
	static final boolean WILDCARD_CONTENT_TYPE_IS_500 = GENERATE;

	/**
	 * Tomcat answers CONNECT itself with 501 and a request line of another HTTP version
	 * with 505, and ProblemErrorReportValve writes on both a problem whose {@code status}
	 * says 500, "Internal error ... it has been logged" (nothing is). While this is open
	 * the fuzzer counts those answers instead of failing on them.
	 * {@link KnownBugTests#tomcatRefusalsCarryAProblemOfTheirOwnStatus(String)}.
	 */
	static final boolean TOMCAT_5XX_SAY_500 = GENERATE;

	/**
	 * A JSON number whose exponent does not fit an int ({@code 1E2147483648},
	 * {@code 1e-2147483649}) anywhere in a body makes Jackson's BigDecimal parsing throw
	 * NumberFormatException, which the dispatcher does not translate: 500 and an ERROR
	 * log with a stack trace, on public routes too ({@code POST /api/v1/auth/login}).
	 * {@link KnownBugTests#numberWithAnExponentBeyondAnIntIsA4xx(String)}.
	 */
	static final boolean EXPONENT_BEYOND_INT_IS_500 = GENERATE;

	/**
	 * After an HTTP/0.9 request ({@code GET /health} without a version), Tomcat answers
	 * the next request lines it cannot parse, on other connections, without a status line
	 * or headers (HTTP/0.9 style), until a valid request resets it: state of one
	 * connection left in the recycled processor. Tomcat's, not the app's. While this is
	 * open the fuzzer counts those answers instead of failing on them.
	 * {@link KnownBugTests#brokenRequestLineGetsAStatusLineAfterAnHttp09Request()}.
	 */
	static final boolean TOMCAT_KEEPS_HTTP09 = GENERATE;

	private KnownBugs() {
	}

}
