package dev.kvstore.functions.fuzz;

import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs a property over inputs drawn from a seeded {@link Random}: try {@code i} always
 * sees the same input for the same seed, so a failure names the seed and the try that
 * reproduce it. {@code -Dproperty.seed} changes the seed, {@code -Dproperty.tries} scales
 * the number of tries (1 by default).
 */
final class Tries {

	/** The fixed seed of the suite. */
	static final long SEED = Long.getLong("property.seed", 20261126L);

	private static final double SCALE = Double.parseDouble(System.getProperty("property.tries", "1"));

	private static final int MAX_SHOWN = 2000;

	private Tries() {
	}

	/**
	 * Checks {@code property} for {@code tries} inputs of {@code generator}; the first
	 * failure stops the run and is reported with its input, seed and try.
	 */
	static <T> void forAll(int tries, Function<Random, T> generator, Consumer<T> property) {
		int count = Math.max(1, (int) Math.round(tries * SCALE));
		for (int i = 0; i < count; i++) {
			T input = generator.apply(random(i));
			try {
				property.accept(input);
			}
			catch (AssertionError | RuntimeException ex) {
				throw new AssertionError("property failed on try %d of %d (property.seed=%d) for input:%n%s"
					.formatted(i, count, SEED, shown(input)), ex);
			}
		}
	}

	/**
	 * How often each branch of a property ran, so that a test can show its inputs reached
	 * both the accepted and the refused side.
	 */
	static final class Tally {

		private final Map<String, Integer> counts = new TreeMap<>();

		void count(String branch) {
			this.counts.merge(branch, 1, Integer::sum);
		}

		int get(String branch) {
			return this.counts.getOrDefault(branch, 0);
		}

		@Override
		public String toString() {
			return this.counts.toString();
		}

	}

	/** The random source of try {@code i}. */
	static Random random(int i) {
		return new Random(SEED * 1_000_003L + i);
	}

	/** Text with every character outside printable ASCII written as a Java escape. */
	static String visible(String text) {
		StringBuilder visible = new StringBuilder(text.length());
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			visible.append((c < 0x20 || c > 0x7E) ? "\\u%04x".formatted((int) c) : String.valueOf(c));
		}
		return visible.toString();
	}

	private static String shown(Object input) {
		String text = visible(String.valueOf(input));
		return (text.length() <= MAX_SHOWN) ? text
				: text.substring(0, MAX_SHOWN) + "... (" + text.length() + " characters)";
	}

}
