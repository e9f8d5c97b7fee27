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
	 * empty: loopback only (a sidecar such as Knative's queue-proxy). Set it to the exact
	 * hops in front of the app: trusting a whole private range would believe a client's
	 * own X-Forwarded-For wherever a load balancer hands connections on from a private
	 * address without adding the client's
	 */
	@ConfigurationProperties("kvstore.http")
	record Settings(String forwardHeaders, String trustedProxies) {
	}

	private static final String LOOPBACK = "127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}|0:0:0:0:0:0:0:1|::1";

	private static final Pattern IP_ADDRESS = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

	private final boolean forwarded;

	private final Pattern trustedProxies;

	ClientAddresses(Settings settings) {
		this.forwarded = !"none".equalsIgnoreCase(settings.forwardHeaders());
		String trusted = settings.trustedProxies();
		this.trustedProxies = Pattern.compile((trusted == null || trusted.isBlank()) ? LOOPBACK : trusted);
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
