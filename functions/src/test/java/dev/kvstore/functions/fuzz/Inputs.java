package dev.kvstore.functions.fuzz;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.kvstore.json.ApiJson;

/**
 * Seeded generators of the API's inputs, biased towards the awkward: keys of any
 * characters and length, JSON values with extreme numbers and deep nesting, tags that
 * break one rule, paging parameters that are not numbers. Each comes with what the API
 * rules say about it, so that a property can tell a right refusal from a wrong one.
 */
final class Inputs {

	/** The longest key, in code points ({@code MAX_KEY_SIZE}). */
	static final int MAX_KEY = 256;

	/** The longest tag name or value, in UTF-16 units. */
	static final int MAX_TAG = 128;

	static final int MAX_TAGS = 32;

	/** Characters that mean something to a URL, a path, JSON, Redis or a shell. */
	private static final String STRUCTURAL = "/%.?#&=+;\\ :*{}[]\"'<>~@!$,|^`()";

	/**
	 * Single code points beyond ASCII: accents, scripts, RTL, zero-width, noncharacters.
	 */
	private static final int[] UNICODE = { 'é', 'ß', 'ü', 'Ω', 'ж', '日', '本', 0x202E, 0x200D, 0xFEFF, 0xFFFF, 0x0301,
			0x1F511, 0x1D518, 0x1F600, 0x10FFFF, 0x00A0, 0x2028, 0x0660 };

	private static final int[] CONTROL = { 0x00, '\t', '\n', '\r', 0x1F, 0x7F, 0x85 };

	/** Fragments of paths a key may be mistaken for. */
	private static final String[] PATHISH = { "..", ".", "/", "%2F", "%2f", "a", "%", "%%", "%2e%2e", "..%2f", "\\",
			"//", "?", "#", "%00", "%25", "stats", "count", "exists", "ttl", "batch", ";", "~" };

	private static final String[] NUMBERS = { "0", "-0", "1", "-1", "2147483647", "2147483648", "-2147483649",
			"9223372036854775807", "9223372036854775808", "-9223372036854775809", "123456789012345678901234567890",
			"0.1", "1.10", "1.0", "0.0", "-0.0", "1e308", "1E+400", "-1e-400", "4.9e-324", "1e0", "1.0E10",
			"3.141592653589793238462643383279", "2.2250738585072011e-308",
			"100000000000000000000000000000000000000e-30" };

	private Inputs() {
	}

	// ---------------------------------------------------------------- text

	/**
	 * Up to {@code max} code points of mixed ASCII, structural, Unicode and control
	 * characters.
	 */
	static String text(Random random, int max) {
		int length = random.nextInt(max + 1);
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < length; i++) {
			text.appendCodePoint(codePoint(random));
		}
		return text.toString();
	}

	private static int codePoint(Random random) {
		return switch (random.nextInt(10)) {
			case 0, 1, 2, 3 -> alphanumeric(random);
			case 4, 5 -> STRUCTURAL.charAt(random.nextInt(STRUCTURAL.length()));
			case 6, 7 -> UNICODE[random.nextInt(UNICODE.length)];
			case 8 -> CONTROL[random.nextInt(CONTROL.length)];
			default -> 0x20 + random.nextInt(0x5F);
		};
	}

	private static char alphanumeric(Random random) {
		String chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_";
		return chars.charAt(random.nextInt(chars.length()));
	}

	static String word(Random random, int min, int max) {
		StringBuilder word = new StringBuilder();
		int length = min + random.nextInt(max - min + 1);
		for (int i = 0; i < length; i++) {
			word.append(alphanumeric(random));
		}
		return word.toString();
	}

	/** Text with an unpaired surrogate somewhere: it has no UTF-8 form. */
	static String withLoneSurrogate(Random random) {
		StringBuilder text = new StringBuilder(word(random, 0, 5));
		text.append(random.nextBoolean() ? '\uD800' : '\uDFFF');
		return text.append(word(random, 0, 5)).toString();
	}

	private static String repeatCodePoints(Random random, int count) {
		StringBuilder text = new StringBuilder();
		boolean wide = random.nextBoolean();
		for (int i = 0; i < count; i++) {
			text.appendCodePoint(wide && random.nextInt(3) == 0 ? 0x1F511 : alphanumeric(random));
		}
		return text.toString();
	}

	// ---------------------------------------------------------------- keys

	/** A key of any of the shapes that have broken key-value stores before. */
	static String key(Random random) {
		String key = anyKey(random);
		return key;
	}

	private static String anyKey(Random random) {
		return switch (random.nextInt(20)) {
			case 0, 1, 2, 3 -> word(random, 1, 12);
			case 4, 5, 6, 7 -> nonEmpty(text(random, 24), random);
			case 8, 9, 10 -> pathish(random);
			case 11 -> repeatCodePoints(random, MAX_KEY - 1 + random.nextInt(3));
			case 12 -> repeatCodePoints(random, 500 + random.nextInt(2500));
			case 13 -> "";
			case 14 -> withLoneSurrogate(random);
			case 15 -> "kv:{" + word(random, 1, 8) + "}:e:" + word(random, 1, 4);
			case 16 -> List.of("*", "kv:*", "{tenant}", "kv:{*}:keys", "\\*", "[a-z]*", "?").get(random.nextInt(7));
			case 17 -> List.of(" ", "\t", "\n", "\r\n", "\u0000", "\u00A0").get(random.nextInt(6));
			default -> word(random, 1, 4) + "/" + text(random, 6) + "/" + word(random, 1, 4);
		};
	}

	private static String pathish(Random random) {
		StringBuilder key = new StringBuilder();
		int parts = 1 + random.nextInt(6);
		for (int i = 0; i < parts; i++) {
			key.append(PATHISH[random.nextInt(PATHISH.length)]);
		}
		return key.toString();
	}

	private static String nonEmpty(String text, Random random) {
		return text.isEmpty() ? word(random, 1, 3) : text;
	}

	/** What the API must do with a key: accept it, or refuse it with 422. */
	static boolean isValidKey(String key) {
		return !key.isEmpty() && isWellFormed(key) && key.indexOf('\u0000') < 0
				&& key.codePointCount(0, key.length()) <= MAX_KEY;
	}

	static boolean isWellFormed(String text) {
		return ApiJson.isWellFormed(text);
	}

	// ---------------------------------------------------------------- JSON

	/**
	 * A JSON value as text, with how deep it nests (a scalar is 0) and whether a string
	 * in it holds an unpaired surrogate.
	 */
	record JsonValue(String text, int depth, boolean unpaired) {

		JsonValue(String text, int depth) {
			this(text, depth, false);
		}

		@Override
		public String toString() {
			return this.text;
		}

	}

	/**
	 * Any JSON value: scalars of every kind, containers, now and then a very deep one.
	 */
	static JsonValue jsonValue(Random random) {
		if (random.nextInt(12) == 0) {
			return deep(random, 50 + random.nextInt(30));
		}
		return jsonValue(random, 3);
	}

	private static JsonValue jsonValue(Random random, int depthLeft) {
		int kind = random.nextInt((depthLeft > 0) ? 9 : 6);
		return switch (kind) {
			case 0 -> (random.nextInt(4) == 0) ? new JsonValue(quoted(withLoneSurrogate(random)), 0, true)
					: new JsonValue(quoted(text(random, 40)), 0);
			case 1 -> new JsonValue(quoted(text(random, 40)), 0);
			case 2, 3 -> new JsonValue(number(random), 0);
			case 4 -> new JsonValue(List.of("true", "false", "null").get(random.nextInt(3)), 0);
			case 5 -> new JsonValue(quoted(random.nextBoolean() ? "" : repeatCodePoints(random, 3000)), 0);
			case 6, 7 -> array(random, depthLeft);
			default -> object(random, depthLeft);
		};
	}

	private static JsonValue array(Random random, int depthLeft) {
		StringJoiner items = new StringJoiner(",", "[", "]");
		int depth = 0;
		boolean unpaired = false;
		for (int i = random.nextInt(5); i > 0; i--) {
			JsonValue item = jsonValue(random, depthLeft - 1);
			items.add(item.text());
			depth = Math.max(depth, item.depth());
			unpaired |= item.unpaired();
		}
		return new JsonValue(items.toString(), depth + 1, unpaired);
	}

	private static JsonValue object(Random random, int depthLeft) {
		Map<String, JsonValue> fields = new LinkedHashMap<>();
		for (int i = random.nextInt(5); i > 0; i--) {
			fields.put(text(random, 12), jsonValue(random, depthLeft - 1));
		}
		StringJoiner text = new StringJoiner(",", "{", "}");
		int depth = 0;
		boolean unpaired = false;
		for (Map.Entry<String, JsonValue> field : fields.entrySet()) {
			text.add(quoted(field.getKey()) + ":" + field.getValue().text());
			depth = Math.max(depth, field.getValue().depth());
			unpaired |= field.getValue().unpaired();
		}
		return new JsonValue(text.toString(), depth + 1, unpaired);
	}

	/** Arrays and objects nested {@code depth} levels. */
	static JsonValue deep(Random random, int depth) {
		StringBuilder open = new StringBuilder();
		StringBuilder close = new StringBuilder();
		for (int i = 0; i < depth; i++) {
			if (random.nextBoolean()) {
				open.append('[');
				close.insert(0, ']');
			}
			else {
				open.append("{\"d\":");
				close.insert(0, '}');
			}
		}
		return new JsonValue(open + number(random) + close, depth);
	}

	private static final Pattern EXPONENT = Pattern.compile("[0-9.][eE]([+-]?[0-9]+)");

	/**
	 * Whether a number in the JSON text has an exponent beyond an int, which no decimal
	 * can hold: the API refuses it with 422.
	 */
	static boolean hasExponentBeyondInt(String json) {
		Matcher exponents = EXPONENT.matcher(json);
		while (exponents.find()) {
			if (new BigInteger(exponents.group(1)).bitLength() > 31) {
				return true;
			}
		}
		return false;
	}

	static String number(Random random) {
		if (random.nextInt(40) == 0) {
			return List.of("1E2147483648", "1e-2147483649", "-2.5E99999999999").get(random.nextInt(3));
		}
		return switch (random.nextInt(5)) {
			case 0, 1 -> NUMBERS[random.nextInt(NUMBERS.length)];
			case 2 -> Long.toString(random.nextLong());
			case 3 -> Double.toString(Double.longBitsToDouble(random.nextLong()))
				.replace("Infinity", "1e999")
				.replace("NaN", "0");
			default -> new BigInteger(64 + random.nextInt(200), random) + "." + random.nextInt(1000) + "e"
					+ (random.nextInt(800) - 400);
		};
	}

	/**
	 * A JSON string literal for any Java string, unpaired surrogates included: everything
	 * outside printable ASCII is escaped, so the text is pure ASCII on the wire.
	 */
	static String quoted(String text) {
		StringBuilder json = new StringBuilder(text.length() + 2).append('"');
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '"' || c == '\\') {
				json.append('\\').append(c);
			}
			else if (c < 0x20 || c > 0x7E) {
				json.append("\\u%04x".formatted((int) c));
			}
			else {
				json.append(c);
			}
		}
		return json.append('"').toString();
	}

	// ---------------------------------------------------------------- tags

	/**
	 * A {@code tags} member as JSON, whether the rules allow it, and the map it means
	 * when they do. A name with an unpaired surrogate is refused by the JSON parser
	 * itself (400), before the tag rules (422) are checked: either answer is right.
	 */
	record Tags(String json, boolean valid, boolean loneSurrogateName, Map<String, String> map) {

		@Override
		public String toString() {
			return this.json;
		}

	}

	/**
	 * Tags that are mostly fine, with now and then one name or value breaking one rule.
	 */
	static Tags tags(Random random) {
		switch (random.nextInt(25)) {
			case 0:
				return new Tags("null", true, false, Map.of());
			case 1:
				return new Tags(List.of("\"t\"", "[]", "1", "true", "[\"a\",\"b\"]").get(random.nextInt(5)), false,
						false, Map.of());
			default:
		}
		int count = switch (random.nextInt(20)) {
			case 0 -> MAX_TAGS;
			case 1 -> MAX_TAGS + 1;
			default -> random.nextInt(5);
		};
		Map<String, String> map = new LinkedHashMap<>();
		List<String> members = new ArrayList<>();
		boolean valid = count <= MAX_TAGS;
		boolean loneSurrogateName = false;
		for (int i = 0; i < count; i++) {
			String name = tagName(random);
			if (map.containsKey(name)) {
				continue;
			}
			loneSurrogateName |= !isWellFormed(name);
			if (random.nextInt(30) == 0) {
				String value = List.of("1", "true", "null", "{}", "[]").get(random.nextInt(5));
				members.add(quoted(name) + ":" + value);
				map.put(name, value);
				valid = false;
				continue;
			}
			String value = tagValue(random);
			members.add(quoted(name) + ":" + quoted(value));
			map.put(name, value);
			valid &= isValidTagName(name) && isValidTagValue(value);
		}
		valid &= map.size() <= MAX_TAGS;
		return new Tags("{" + String.join(",", members) + "}", valid, loneSurrogateName,
				valid ? Map.copyOf(map) : Map.of());
	}

	private static String tagName(Random random) {
		return switch (random.nextInt(16)) {
			case 0 -> "";
			case 1 -> word(random, 1, 4) + ":" + word(random, 0, 4);
			case 2 -> repeatCodePoints(random, MAX_TAG + random.nextInt(2));
			case 3 -> withLoneSurrogate(random);
			case 4, 5, 6, 7 -> nonEmpty(text(random, 12).replace(":", ""), random);
			default -> word(random, 1, 10);
		};
	}

	private static String tagValue(Random random) {
		return switch (random.nextInt(14)) {
			case 0 -> "";
			case 1 -> repeatCodePoints(random, MAX_TAG + random.nextInt(2));
			case 2 -> withLoneSurrogate(random);
			case 3 -> word(random, 1, 4) + ":" + word(random, 1, 4);
			case 4, 5, 6, 7 -> text(random, 16);
			default -> word(random, 1, 10);
		};
	}

	static boolean isValidTagName(String name) {
		return !name.isEmpty() && name.length() <= MAX_TAG && name.indexOf(':') < 0 && isWellFormed(name);
	}

	static boolean isValidTagValue(String value) {
		return value.length() <= MAX_TAG && isWellFormed(value);
	}

	// ---------------------------------------------------------------- paging

	/**
	 * A {@code page} or {@code page_size} as sent in a query: numbers, edges, and not
	 * numbers at all.
	 */
	static String pageParameter(Random random) {
		return switch (random.nextInt(12)) {
			case 0, 1, 2 -> Integer.toString(1 + random.nextInt(8));
			case 3 -> Integer.toString(-random.nextInt(3));
			case 4 -> List.of("999", "1000", "1001").get(random.nextInt(3));
			case 5 -> List.of("2147483647", "2147483648", "-2147483648", "-2147483649").get(random.nextInt(4));
			case 6 ->
				List.of("9223372036854775808", "99999999999999999999999999", "1e3", "1E400").get(random.nextInt(4));
			case 7 -> List.of("", " ", "abc", "NaN", "null", "true", "[]", "{}").get(random.nextInt(8));
			case 8 -> List.of("1.5", "2.0", "+1", "01", "0x10", " 1", "1 ", "-0").get(random.nextInt(8));
			case 9 -> List.of("\u0661", "\uFF11", "\u00B2", "1\u0000", "%", "%zz", "١٢").get(random.nextInt(7));
			case 10 -> text(random, 6);
			default -> Integer.toString(random.nextInt(5));
		};
	}

	/**
	 * The integer a canonical decimal parameter stands for, or {@code null} when it is
	 * not one.
	 */
	static BigInteger canonicalInteger(String parameter) {
		return parameter.matches("-?(0|[1-9][0-9]*)") ? new BigInteger(parameter) : null;
	}

	// ---------------------------------------------------------------- tokens

	/** One character changed, dropped or added, or the token cut short or padded. */
	static String tampered(Random random, String token) {
		int at = random.nextInt(token.length());
		String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/";
		char other = alphabet.charAt(random.nextInt(alphabet.length()));
		while (other == token.charAt(at)) {
			other = alphabet.charAt(random.nextInt(alphabet.length()));
		}
		return switch (random.nextInt(6)) {
			case 0, 1 -> token.substring(0, at) + other + token.substring(at + 1);
			case 2 -> token.substring(0, at) + token.substring(at + 1);
			case 3 -> token.substring(0, at) + other + token.substring(at);
			case 4 -> token.substring(0, at);
			default -> token + List.of("=", "==", ".", "..x", " x").get(random.nextInt(5));
		};
	}

}
