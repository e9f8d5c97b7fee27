package dev.kvstore.functions.kv;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.stereotype.Component;

import dev.kvstore.auth.TokenSettings;
import dev.kvstore.kv.PageQuery;
import dev.kvstore.problem.ApiException;
import dev.kvstore.tenant.TenantId;

/**
 * The cursors of a walk by key. A cursor is the last key a page answered, sealed with an
 * HMAC-SHA256 (under a key derived from {@code SECRET_KEY}) to the tenant, prefix and tag
 * filter it was answered for: a client can neither forge one nor carry one to another
 * tenant or another listing. URL-safe base64, opaque to clients. A cursor sealed before a
 * key rotation no longer opens: the walk starts again.
 */
@Component
public class Cursors {

	private static final String ALGORITHM = "HmacSHA256";

	private static final int TAG_BYTES = 16;

	private static final int MAX_LENGTH = 2048;

	private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

	private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

	private final SecretKeySpec key;

	public Cursors(TokenSettings settings) {
		byte[] secret = settings.secret().getBytes(StandardCharsets.UTF_8);
		this.key = new SecretKeySpec(mac(new SecretKeySpec(secret, ALGORITHM), "kvstore-cursor-key"), ALGORITHM);
	}

	/** The cursor that goes on after {@code lastKey}. */
	public String seal(TenantId tenant, PageQuery query, String lastKey) {
		byte[] key = lastKey.getBytes(StandardCharsets.UTF_8);
		return ENCODER.encodeToString(key) + "." + ENCODER.encodeToString(tag(tenant, query, key));
	}

	/**
	 * The key a cursor goes on after.
	 * @throws ApiException.Invalid when it is not a cursor this listing gave this tenant
	 */
	public String open(TenantId tenant, PageQuery query, String cursor) {
		int dot = cursor.indexOf('.');
		if (cursor.length() > MAX_LENGTH || dot < 0) {
			throw invalid();
		}
		byte[] key;
		byte[] tag;
		try {
			key = DECODER.decode(cursor.substring(0, dot));
			tag = DECODER.decode(cursor.substring(dot + 1));
		}
		catch (IllegalArgumentException notBase64) {
			throw invalid();
		}
		if (!MessageDigest.isEqual(tag, tag(tenant, query, key))) {
			throw invalid();
		}
		return new String(key, StandardCharsets.UTF_8);
	}

	/** The MAC of the tenant, tag filter, prefix and key, each length-prefixed. */
	private byte[] tag(TenantId tenant, PageQuery query, byte[] key) {
		byte[][] parts = { tenant.toString().getBytes(StandardCharsets.UTF_8), utf8(query.tagFilter()),
				utf8(query.prefix()), key };
		int size = 0;
		for (byte[] part : parts) {
			size += Integer.BYTES + part.length;
		}
		ByteBuffer message = ByteBuffer.allocate(size);
		for (byte[] part : parts) {
			message.putInt(part.length).put(part);
		}
		return Arrays.copyOf(mac(this.key, message.array()), TAG_BYTES);
	}

	private static byte[] utf8(String text) {
		return (text != null) ? text.getBytes(StandardCharsets.UTF_8) : new byte[0];
	}

	private static byte[] mac(SecretKeySpec key, String text) {
		return mac(key, text.getBytes(StandardCharsets.UTF_8));
	}

	private static byte[] mac(SecretKeySpec key, byte[] message) {
		try {
			Mac mac = Mac.getInstance(ALGORITHM);
			mac.init(key);
			return mac.doFinal(message);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is not available", ex);
		}
	}

	private static ApiException invalid() {
		return new ApiException.Invalid("cursor is not one this listing gave (a key rotation also ends a walk)");
	}

}
