package org.lesionweighting.util;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** RFC 4180 fields. */
class CsvTest {

	@Test
	void onlyFieldsThatNeedItAreQuotedAndQuotesAreDoubled() {
		assertEquals("case_01", Csv.quote("case_01"));
		assertEquals("", Csv.quote(""));
		assertEquals("\"a,b\"", Csv.quote("a,b"));
		assertEquals("\"say \"\"no\"\"\"", Csv.quote("say \"no\""));
		assertEquals("\"two\nlines\"", Csv.quote("two\nlines"));
		assertEquals("\"cr\r\"", Csv.quote("cr\r"));
	}
}
