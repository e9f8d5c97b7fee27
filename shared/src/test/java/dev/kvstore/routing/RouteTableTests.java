package dev.kvstore.routing;

import java.util.HashSet;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.kvstore.problem.ApiException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class RouteTableTests {

	@Test
	void matchesLiteralSegmentsBeforeVariables() {
		assertThat(RouteTable.match("GET", "/api/v1/kv/stats/count").route().function()).isEqualTo("countKeys");
		assertThat(RouteTable.match("POST", "/api/v1/kv/batch").route().function()).isEqualTo("createKeys");
		assertThat(RouteTable.match("GET", "/api/v1/kv/batch").route().function()).isEqualTo("getKey");
		assertThat(RouteTable.match("GET", "/api/v1/kv/stats").variables()).isEqualTo(Map.of("key", "stats"));
	}

	@Test
	void decodesVariablesStrictly() {
		assertThat(RouteTable.match("GET", "/api/v1/kv/a%2Fb+c%20%F0%9F%94%91/ttl").variables())
			.isEqualTo(Map.of("key", "a/b+c 🔑"));
		assertThatExceptionOfType(ApiException.Malformed.class)
			.isThrownBy(() -> RouteTable.match("GET", "/api/v1/kv/%zz"));
		assertThatExceptionOfType(ApiException.Malformed.class)
			.isThrownBy(() -> RouteTable.match("GET", "/api/v1/kv/%C3%28"));
		assertThatExceptionOfType(ApiException.Malformed.class)
			.isThrownBy(() -> RouteTable.match("GET", "/api/v1/kv/%4"));
	}

	@Test
	void tellsUnknownPathFromUnknownMethod() {
		assertThatExceptionOfType(ApiException.NoRoute.class).isThrownBy(() -> RouteTable.match("GET", "/api/v1/nope"));
		assertThatExceptionOfType(ApiException.NoRoute.class)
			.isThrownBy(() -> RouteTable.match("GET", "/api/v1/kv/a/b"));
		assertThatExceptionOfType(ApiException.MethodNotAllowed.class)
			.isThrownBy(() -> RouteTable.match("PATCH", "/api/v1/auth/me"))
			.satisfies((ex) -> assertThat(ex.allow()).isEqualTo("GET, PUT, DELETE"));
	}

	@Test
	void namesEachFunctionOnceAndEachRouteOnce() {
		assertThat(new HashSet<>(RouteTable.functions())).hasSameSizeAs(RouteTable.functions());
		assertThat(RouteTable.ROUTES.stream().map((route) -> route.method() + " " + route.path()).distinct())
			.hasSameSizeAs(RouteTable.ROUTES);
	}

}
