package dev.kvstore.tenant;

import org.junit.jupiter.api.Test;

import dev.kvstore.problem.ApiException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class GrantTests {

	private final Grant app = new Grant("0123456789abcdef", false, "app/");

	@Test
	void coversOnlyKeysUnderItsPrefix() {
		assertThat(this.app.covering("app/x")).isEqualTo("app/x");
		assertThat(this.app.covering("app/")).isEqualTo("app/");
		assertThatExceptionOfType(ApiException.Forbidden.class).isThrownBy(() -> this.app.covering("app"));
		assertThatExceptionOfType(ApiException.Forbidden.class).isThrownBy(() -> this.app.covering("other/app/x"));
		assertThat(new Grant("0123456789abcdef", true, "").covering("anything")).isEqualTo("anything");
	}

	@Test
	void narrowsAListingToWhatBothPrefixesHaveInCommon() {
		assertThat(this.app.narrowing("")).isEqualTo("app/");
		assertThat(this.app.narrowing("ap")).isEqualTo("app/");
		assertThat(this.app.narrowing("app/sub/")).isEqualTo("app/sub/");
		assertThatExceptionOfType(ApiException.Forbidden.class).isThrownBy(() -> this.app.narrowing("apx"));
	}

}
