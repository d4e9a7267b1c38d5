package org.lesionweighting.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class YamlTest {

	@Test
	void writesBlockStyleWithFlowListsOfScalars() {
		final Map< String, Object > m = new LinkedHashMap<>();
		m.put("format_version", "0.5.7");
		m.put("name", "Tiny model (test)");
		m.put("tags", List.of("3d", "unet"));
		m.put("axes", List.of(Map.of("type", "batch"), new LinkedHashMap<>(Map.of("id", "z"))));
		m.put("eps", 1e-6);
		m.put("big", 1e10);
		m.put("n", 3);
		m.put("empty", List.of());
		m.put("none", null);
		m.put("yes", "true");
		assertEquals("""
				format_version: "0.5.7"
				name: Tiny model (test)
				tags: ["3d", unet]
				axes:
				  - type: batch
				  - id: z
				eps: 1.0e-6
				big: 1.0e+10
				"n": 3
				empty: []
				none: null
				"yes": "true"
				""", Yaml.write(m));
	}

	@Test
	void roundTripsNestedDocuments() {
		final Map< String, Object > inner = new LinkedHashMap<>();
		inner.put("id", "image");
		inner.put("axes", List.of(Map.of("type", "batch"), Map.of("type", "channel", "channel_names", List.of("FLAIR", "T2"))));
		inner.put("preprocessing", List.of(Map.of("id", "clip", "kwargs", Map.of("min", -300.0, "max", 300.0))));
		inner.put("text", "a: b # not a comment\nsecond line \"quoted\" \\ back");
		final Map< String, Object > m = new LinkedHashMap<>();
		m.put("inputs", List.of(inner));
		m.put("nested", List.of(List.of(1L, 2L), List.of()));
		m.put("range", List.of(0.0, 1.0));
		m.put("sha256", "0123456789abcdef");
		assertEquals(m, Yaml.parse(Yaml.write(m)));
	}

	/** The layout of the spec's own example descriptions: lists at their key's indentation, quoted text over lines. */
	@Test
	void readsTheSpecsExampleLayout() {
		final String text = """
				%YAML 1.2
				---
				name: UNet 2D  # a comment
				cite:
				  - text:
				      'Ronneberger, Olaf et al. U-net: it''s
				      MICCAI 2015.'
				    doi: 10.1007/978-3-319-24574-4_28
				inputs:
				- id: raw
				  axes:
				  - type: batch
				    size: 1
				  - {type: space, id: y, size: {min: 64, step: 16}}
				  data: {type: float32, range: [.nan, .inf]}
				description: |
				  Line one
				  line two
				covers: [cover.png]
				flag: false
				""";
		final Map< String, Object > d = Yaml.parseMap(text);
		assertEquals("UNet 2D", d.get("name"));
		final Map< ?, ? > cite = (Map< ?, ? >) ((List< ? >) d.get("cite")).get(0);
		assertEquals("Ronneberger, Olaf et al. U-net: it's MICCAI 2015.", cite.get("text"));
		assertEquals("10.1007/978-3-319-24574-4_28", cite.get("doi"));
		final Map< ?, ? > raw = (Map< ?, ? >) ((List< ? >) d.get("inputs")).get(0);
		final List< ? > axes = (List< ? >) raw.get("axes");
		assertEquals(Map.of("type", "batch", "size", 1L), axes.get(0));
		assertEquals(Map.of("type", "space", "id", "y", "size", Map.of("min", 64L, "step", 16L)), axes.get(1));
		final List< ? > range = (List< ? >) ((Map< ?, ? >) raw.get("data")).get("range");
		assertTrue(Double.isNaN((Double) range.get(0)) && range.get(1).equals(Double.POSITIVE_INFINITY));
		assertEquals("Line one\nline two\n", d.get("description"));
		assertEquals(List.of("cover.png"), d.get("covers"));
		assertEquals(false, d.get("flag"));
	}

	/** Regression: the key and comment scans stopped at the first quote of '' and cut "'a'' #c'" at the '#'. */
	@Test
	void doubledSingleQuotesHideCommentsAndColons() {
		final Map< String, Object > d = Yaml.parseMap("k: 'a'' #c' # comment\n'x'': y': 1\nl: ['it''s #1', b]\n");
		assertEquals("a' #c", d.get("k"));
		assertEquals(1L, d.get("x': y"));
		assertEquals(List.of("it's #1", "b"), d.get("l"));
	}

	@Test
	void refusesWhatItDoesNotReadNamingTheLine() {
		final IllegalArgumentException a = assertThrows(IllegalArgumentException.class, () -> Yaml.parse("a: 1\nb: &x 2\n"));
		assertTrue(a.getMessage().contains("line 2") && a.getMessage().contains("anchors"), a.getMessage());
		final IllegalArgumentException b = assertThrows(IllegalArgumentException.class, () -> Yaml.parse("a: 1\na: 2\n"));
		assertTrue(b.getMessage().contains("'a' is given twice"), b.getMessage());
		final IllegalArgumentException c = assertThrows(IllegalArgumentException.class, () -> Yaml.parse("a:\n  b: 1\n    c: 2\n"));
		assertTrue(c.getMessage().contains("line 3"), c.getMessage());
		assertThrows(IllegalArgumentException.class, () -> Yaml.parseMap("- a\n- b\n"));
	}
}
