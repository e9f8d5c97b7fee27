package dev.kvstore.functions.http;

import java.net.InetSocketAddress;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which address keys a client's limits: X-Forwarded-For is believed only from the exact
 * proxies configured, loopback alone by default.
 */
class ClientAddressesTests {

	private final ClientAddresses byDefault = new ClientAddresses(new ClientAddresses.Settings("native", ""));

	/** A load balancer that hands connections on from a private address adds nothing. */
	@Test
	void believesNoForwardedAddressFromAPrivatePeerByDefault() {
		assertThat(this.byDefault.of(peer("10.0.3.7"), "198.51.100.1")).isEqualTo("10.0.3.7");
		assertThat(this.byDefault.of(peer("192.168.1.20"), "198.51.100.2")).isEqualTo("192.168.1.20");
	}

	@Test
	void believesALoopbackSidecarByDefault() {
		assertThat(this.byDefault.of(peer("127.0.0.1"), "198.51.100.1")).isEqualTo("198.51.100.1");
	}

	/** Knative: queue-proxy on loopback, the ingress and activator on the pod network. */
	@Test
	void takesTheFirstAddressLeftOfTheConfiguredHopsWhateverTheClientPutsBeforeIt() {
		ClientAddresses knative = new ClientAddresses(
				new ClientAddresses.Settings("native", "127\\.0\\.0\\.1|10\\.244\\.\\d{1,3}\\.\\d{1,3}"));

		assertThat(knative.of(peer("127.0.0.1"), "6.6.6.6, 203.0.113.9, 10.244.1.7, 10.244.0.3"))
			.isEqualTo("203.0.113.9");
		assertThat(knative.of(peer("127.0.0.1"), "7.7.7.7, 203.0.113.9, 10.244.1.7")).isEqualTo("203.0.113.9");
		assertThat(knative.of(peer("10.96.0.10"), "198.51.100.1")).isEqualTo("10.96.0.10");
	}

	@Test
	void neverTakesAHopThatIsNoAddress() {
		assertThat(this.byDefault.of(peer("127.0.0.1"), "198.51.100.1, not-an-address")).isEqualTo("127.0.0.1");
	}

	@Test
	void takesThePeerOnlyWhenForwardedHeadersAreOff() {
		ClientAddresses none = new ClientAddresses(new ClientAddresses.Settings("none", ""));

		assertThat(none.of(peer("127.0.0.1"), "198.51.100.1")).isEqualTo("127.0.0.1");
	}

	private static InetSocketAddress peer(String address) {
		return new InetSocketAddress(address, 40000);
	}

}
