package dev.kvstore.functions.http;

import java.net.InetSocketAddress;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The client's address: the peer's, or, when the peer is a trusted proxy, the first
 * address left of the trusted proxies in {@code X-Forwarded-For} (as Knative's and most
 * ingresses' proxies send it). A value that is not an IP address is never taken: the
 * address keys the login and registration limits and lands in audit events.
 */
final class ClientAddresses {

	/**
	 * @param forwardHeaders {@code native}: trust X-Forwarded-For from trusted proxies;
	 * {@code none}: the peer's address only
	 * @param trustedProxies the addresses of trusted proxies, as a regular expression;
	 * empty: private, loopback, link-local and carrier-grade NAT addresses
	 */
	@ConfigurationProperties("kvstore.http")
	record Settings(String forwardHeaders, String trustedProxies) {
	}

	private static final String PRIVATE_ADDRESSES = String.join("|", "10\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}",
			"192\\.168\\.\\d{1,3}\\.\\d{1,3}", "169\\.254\\.\\d{1,3}\\.\\d{1,3}",
			"127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}", "100\\.(6[4-9]|[7-9]\\d|1[01]\\d|12[0-7])\\.\\d{1,3}\\.\\d{1,3}",
			"172\\.(1[6-9]|2\\d|3[01])\\.\\d{1,3}\\.\\d{1,3}", "0:0:0:0:0:0:0:1", "::1", "fe[89ab][0-9a-fA-F]:.*",
			"f[cd][0-9a-fA-F]{2}:.*");

	private static final Pattern IP_ADDRESS = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

	private final boolean forwarded;

	private final Pattern trustedProxies;

	ClientAddresses(Settings settings) {
		this.forwarded = !"none".equalsIgnoreCase(settings.forwardHeaders());
		String trusted = settings.trustedProxies();
		this.trustedProxies = Pattern.compile((trusted == null || trusted.isBlank()) ? PRIVATE_ADDRESSES : trusted);
	}

	String of(@Nullable InetSocketAddress peer, @Nullable String forwardedFor) {
		String address = (peer != null && peer.getAddress() != null) ? peer.getAddress().getHostAddress() : "";
		if (!this.forwarded || forwardedFor == null || !isTrusted(address)) {
			return address;
		}
		String[] hops = forwardedFor.split(",");
		for (int i = hops.length - 1; i >= 0; i--) {
			String hop = hops[i].strip();
			if (!IP_ADDRESS.matcher(hop).matches()) {
				return address;
			}
			address = hop;
			if (!isTrusted(hop)) {
				break;
			}
		}
		return address;
	}

	private boolean isTrusted(String address) {
		return this.trustedProxies.matcher(address).matches();
	}

}
