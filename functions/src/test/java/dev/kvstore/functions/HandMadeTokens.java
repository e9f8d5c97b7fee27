package dev.kvstore.functions;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * JWTs built by hand, byte by byte, the way an attacker would: to forge, tamper and
 * replay without the server's code.
 */
public final class HandMadeTokens {

	private HandMadeTokens() {
	}

	/** {@code header.claims.signature}, signed with HS256 and {@code secret}. */
	public static String hs256(String headerJson, String claimsJson, byte[] secret) {
		String signingInput = base64Url(headerJson) + "." + base64Url(claimsJson);
		return signingInput + "." + mac("HmacSHA256", secret, signingInput);
	}

	/** The base64url MAC of {@code signingInput} with {@code algorithm}, as JWS signs. */
	public static String mac(String algorithm, byte[] secret, String signingInput) {
		try {
			Mac mac = Mac.getInstance(algorithm);
			mac.init(new SecretKeySpec(secret, algorithm));
			return Base64.getUrlEncoder()
				.withoutPadding()
				.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	public static String base64Url(String json) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
	}

}
