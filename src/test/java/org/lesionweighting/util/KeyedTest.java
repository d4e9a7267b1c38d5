package org.lesionweighting.util;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

class KeyedTest {

	enum Fruit implements Keyed {

		GREEN_APPLE("apple"), PEAR("pear");

		private final String key;

		Fruit(final String key) {
			this.key = key;
		}

		@Override
		public String key() {
			return key;
		}

		@Override
		public List< String > aliases() {
			return this == PEAR ? List.of("Poire") : List.of();
		}
	}

	@Test
	void keysAreInDeclarationOrder() {
		assertArrayEquals(new String[] { "apple", "pear" }, Keyed.keys(Fruit.class));
	}

	@Test
	void keyNameAndAliasParseIgnoringCaseAndBlanks() {
		assertEquals(Fruit.GREEN_APPLE, Keyed.parse(Fruit.class, "fruit", " APPLE "));
		assertEquals(Fruit.GREEN_APPLE, Keyed.parse(Fruit.class, "fruit", "green_apple"));
		assertEquals(Fruit.PEAR, Keyed.parse(Fruit.class, "fruit", "poire"));
		assertNull(Keyed.find(Fruit.class, null));
		assertNull(Keyed.find(Fruit.class, "plum"));
	}

	@Test
	void unknownValueNamesOptionValueAndKeys() {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Keyed.parse(Fruit.class, "fruit", "plum"));
		assertEquals("fruit: unknown value 'plum'; use one of apple, pear.", e.getMessage());
	}
}
