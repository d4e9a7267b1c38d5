package org.lesionweighting.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class JsonTest {

	@Test
	void objectKeepsTheOrderAndNullValues() {
		final Map< String, Object > m = Json.object("b", 1, "a", null, "c", "x");
		assertEquals(List.of("b", "a", "c"), List.copyOf(m.keySet()));
		assertEquals("{\n  \"b\": 1,\n  \"a\": null,\n  \"c\": \"x\"\n}\n", Json.write(m));
		m.put("d", 2); // mutable, for optional keys added afterwards
		assertEquals(4, m.size());
	}

	@Test
	void objectRefusesUnpairedArgumentsAndKeysThatAreNoStrings() {
		final IllegalArgumentException odd = assertThrows(IllegalArgumentException.class, () -> Json.object("a", 1, "b"));
		assertTrue(odd.getMessage().contains("3 arguments"), odd.getMessage());
		final IllegalArgumentException key = assertThrows(IllegalArgumentException.class, () -> Json.object("a", 1, 2, "b"));
		assertTrue(key.getMessage().contains("argument 2 is 2"), key.getMessage());
	}

	/** Regression: an Object[] holding null was written through List.of, which throws a NullPointerException. */
	@Test
	void objectArrayWithNullIsWritten() {
		assertEquals("[\"a\", null]\n", Json.write(new Object[] { "a", null }));
	}

	@Test
	void writesScalarsAndNesting() {
		final Map< String, Object > m = new LinkedHashMap<>();
		m.put("a", 1);
		m.put("b", 0.5);
		m.put("s", "x\"y\n");
		m.put("l", List.of(1.0, Double.NEGATIVE_INFINITY));
		m.put("n", null);
		assertEquals("{\n  \"a\": 1,\n  \"b\": 0.5,\n  \"s\": \"x\\\"y\\n\",\n  \"l\": [1.0, -Infinity],\n  \"n\": null\n}\n", Json.write(m));
	}

	@Test
	void roundTripKeepsValuesAndOrder() {
		final Map< String, Object > m = new LinkedHashMap<>();
		m.put("z", Arrays.asList(1.5, Double.POSITIVE_INFINITY, Double.NaN, null, true));
		m.put("a", Map.of("k", "v\u00e9\t"));
		m.put("arr", new double[] { 0.25, -3 });
		final Map< String, Object > back = Json.parseObject(Json.write(m));
		assertEquals(List.of("z", "a", "arr"), List.copyOf(back.keySet()));
		final List< ? > z = (List< ? >) back.get("z");
		assertEquals(1.5, z.get(0));
		assertEquals(Double.POSITIVE_INFINITY, z.get(1));
		assertTrue(Double.isNaN((Double) z.get(2)));
		assertEquals(null, z.get(3));
		assertEquals(true, z.get(4));
		assertEquals("v\u00e9\t", ((Map< ?, ? >) back.get("a")).get("k"));
		assertEquals(List.of(0.25, -3.0), back.get("arr"));
	}

	@Test
	void parsesCompactAndUnicodeEscapes() {
		assertEquals(Map.of("a", List.of(1.0, 2.0), "b", "\u00e9"), Json.parse("{\"a\":[1,2e0],\"b\":\"\\u00e9\"}"));
	}

	@Test
	void malformedInputNamesThePosition() {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\": [1, 2}"));
		assertTrue(e.getMessage().contains("character 11"), e.getMessage());
		assertThrows(IllegalArgumentException.class, () -> Json.parse("[1] x"));
		assertThrows(IllegalArgumentException.class, () -> Json.parseObject("[1]"));
	}

	/** Issue 15 (Also): deeply nested JSON ended in a bare StackOverflowError. */
	@Test
	void nestingDeeperThanTheLimitIsAClearError() {
		final String deep = "[".repeat(100_000) + "]".repeat(100_000);
		final IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Json.parse(deep));
		org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("nested more than " + Json.MAX_DEPTH + " deep at character " + Json.MAX_DEPTH),
				e.getMessage());
		Object v = Json.parse("{\"a\":".repeat(Json.MAX_DEPTH - 1) + "[1]" + "}".repeat(Json.MAX_DEPTH - 1));
		for (int d = 1; d < Json.MAX_DEPTH; d++)
			v = ((java.util.Map< ?, ? >) v).get("a");
		org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of(1.0), v, "the limit itself parses");
	}
}
