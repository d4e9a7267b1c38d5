package org.lesionweighting.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Records CSV: column order, round trip with infinities, tolerant reading, pooling a folder. */
class RecordsCsvTest {

	private static final double INF = Double.POSITIVE_INFINITY;

	private static final List< LesionRecord > ROWS = List.of(
			new LesionRecord("case,1 \"A\"", LesionRecord.Kind.LESION, 1, 3.1, 0.25, -1.5e-7, INF, 2, 6.2, 0.75, 1),
			new LesionRecord("case2", LesionRecord.Kind.LESION, 2, 1.2407009817987, 0, -INF, INF, 0, Double.NaN, 0, 1),
			new LesionRecord("case2", LesionRecord.Kind.PREDICTION, 7, 12, 0.1 + 0.2, INF, 3.4028234663852886E38, 1, 0.1, 1, 0.999f));

	@Test
	void headerStartsWithTheAgreedColumnsInOrder() {
		final String csv = RecordsCsv.toCsv(ROWS);
		assertTrue(csv.startsWith("image,kind,object,diameter,hit_dice,hit_logit,self_logit,hit_object,diameter_calibrated,hit_stat,self_stat\n"), csv);
		assertTrue(csv.contains(",lesion,1,3.1,0.25,-1.5E-7,Infinity,2,"), csv);
		assertTrue(csv.contains(",-Infinity,Infinity,0,NaN,"), csv);
		assertTrue(csv.contains("\"case,1 \"\"A\"\"\""), csv);
	}

	@Test
	void roundTripIsExactIncludingInfinitiesAndNaN() {
		assertEquals(ROWS, RecordsCsv.parse(RecordsCsv.toCsv(ROWS)));
	}

	@Test
	void readsColumnsByNameInAnyOrderIgnoringExtrasAndAuthorsSpellings() {
		final String csv = "hit_object,self_logit,extra,image,object,kind,hit_dice,hit_logit,diameter\r\n" + "pred_None,inf,zzz,a,tum_1,True,0,-inf,2.5\r\n"
				+ "tum_1,1.25,zzz,a,pred_3,False,0.5,Infinity,4\r\n\r\n";
		final List< LesionRecord > r = RecordsCsv.parse(csv);
		assertEquals(2, r.size());
		assertEquals(new LesionRecord("a", LesionRecord.Kind.LESION, 1, 2.5, 0, -INF, INF, 0, Double.NaN, Double.NaN, Double.NaN), r.get(0));
		assertEquals(new LesionRecord("a", LesionRecord.Kind.PREDICTION, 3, 4, 0.5, INF, 1.25, 1, Double.NaN, Double.NaN, Double.NaN), r.get(1));
	}

	@Test
	void missingColumnsAndBadValuesAreReportedWithLineAndColumn() {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RecordsCsv.parse("image,kind,object\na,lesion,1\n"));
		assertTrue(e.getMessage().contains("diameter"), e.getMessage());
		final IllegalArgumentException f = assertThrows(IllegalArgumentException.class,
				() -> RecordsCsv.parse("image,kind,object,diameter,hit_dice,hit_logit,self_logit\na,lesion,1,x,0,0,0\n"));
		assertTrue(f.getMessage().contains("line 2") && f.getMessage().contains("diameter"), f.getMessage());
		assertThrows(IllegalArgumentException.class, () -> RecordsCsv.parse("image,kind,object,diameter,hit_dice,hit_logit,self_logit\na,tumour,1,1,0,0,0\n"));
	}

	@Test
	void headerOnlyGivesNoRecords() {
		assertEquals(List.of(), RecordsCsv.parse(RecordsCsv.toCsv(List.of())));
		assertEquals(List.of(), RecordsCsv.parse(""));
	}

	@Test
	void writeIsAtomicAndReadsBack(@TempDir final Path dir) throws IOException {
		final Path f = dir.resolve("r.csv");
		RecordsCsv.write(f, ROWS);
		assertEquals(ROWS, RecordsCsv.read(f));
		try (Stream< Path > s = Files.list(dir)) {
			assertEquals(1, s.count(), "no temporary file left");
		}
		assertThrows(IOException.class, () -> RecordsCsv.write(dir.resolve("missing/r.csv"), ROWS));
	}

	@Test
	void poolsAFolderOfCsvFilesInNameOrder(@TempDir final Path dir) throws IOException {
		RecordsCsv.write(dir.resolve("b.csv"), ROWS.subList(1, 3));
		RecordsCsv.write(dir.resolve("a.csv"), ROWS.subList(0, 1));
		Files.writeString(dir.resolve("notes.txt"), "not a csv");
		final List< LesionRecord > all = RecordsCsv.read(dir);
		assertEquals(ROWS, all);
		final List< LesionRecord > pooled = new ArrayList<>(all);
		assertEquals(2, Froc.numImages(pooled));
	}

	@Test
	void emptyFolderOrMissingPathIsAnIOException(@TempDir final Path dir) {
		assertThrows(IOException.class, () -> RecordsCsv.read(dir));
		assertThrows(IOException.class, () -> RecordsCsv.read(dir.resolve("nope.csv")));
	}

	@Test
	void aForeignFileInTheFolderNamesTheFile(@TempDir final Path dir) throws IOException {
		Files.writeString(dir.resolve("curve.csv"), FrocFiles.CURVE_HEADER + "\n0,0,1,1,0,0,0,NaN,NaN\n");
		final IOException e = assertThrows(IOException.class, () -> RecordsCsv.read(dir));
		assertTrue(e.getMessage().contains("curve.csv"), e.getMessage());
	}

	/** Issue 15 item 5: a 0-byte records file scored avg_recall = 1.0. */
	@Test
	void anEmptyFileIsAnErrorNamingIt(@TempDir final Path dir) throws IOException {
		final Path empty = Files.createFile(dir.resolve("empty.csv"));
		final IOException e = assertThrows(IOException.class, () -> RecordsCsv.read(empty));
		assertTrue(e.getMessage().contains(empty + " is empty, not a records CSV"), e.getMessage());
		final Path folder = Files.createDirectories(dir.resolve("pool"));
		RecordsCsv.write(folder.resolve("a.csv"), ROWS);
		Files.createFile(folder.resolve("b.csv"));
		assertTrue(assertThrows(IOException.class, () -> RecordsCsv.read(folder)).getMessage().contains("b.csv is empty"));
	}

	/** Issue 15 item 6: a record with NaN dropped out of the recall. */
	@Test
	void nonFiniteValuesAreRejectedWithFileLineAndColumn(@TempDir final Path dir) throws IOException {
		final String header = String.join(",", RecordsCsv.COLUMNS) + "\n";
		final String[][] cases = { { "a,lesion,1,NaN,0,-Infinity,Infinity,0", "line 2, column diameter: 'NaN' is not a finite number" }, //
			{ "a,lesion,1,3,NaN,NaN,Infinity,0", "line 2, column hit_dice: 'NaN' is not a finite number" }, //
			{ "a,lesion,1,3,0.5,NaN,Infinity,0", "line 2, column hit_logit: NaN is not a logit" }, //
			{ "a,lesion,1,Infinity,0,-Infinity,Infinity,0", "line 2, column diameter: 'Infinity' is not a finite number" }, //
			{ "a,prediction,1,3,0,-Infinity,nan,0", "line 2, column self_logit: NaN is not a logit" } };
		for (final String[] c : cases) {
			final Path f = Files.writeString(dir.resolve("bad.csv"), header + c[0] + "\n");
			final IOException e = assertThrows(IOException.class, () -> RecordsCsv.read(f), c[0]);
			assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains(c[1]), e.getMessage());
		}
	}

	/** Issue 15 item 7: two records files that claim the same image id with different records are not merged. */
	@Test
	void poolingRefusesOneImageIdWithDifferentRecordsAndReadsACopyOnce(@TempDir final Path dir) throws IOException {
		final Path folder = Files.createDirectories(dir.resolve("pool"));
		final LesionRecord p07 = new LesionRecord("mask", LesionRecord.Kind.LESION, 1, 3, 0.5, 2, INF, 1, Double.NaN, Double.NaN, Double.NaN);
		final LesionRecord p19 = new LesionRecord("mask", LesionRecord.Kind.LESION, 1, 5, 0, -INF, INF, 0, Double.NaN, Double.NaN, Double.NaN);
		RecordsCsv.write(folder.resolve("p07.csv"), List.of(p07));
		RecordsCsv.write(folder.resolve("p19.csv"), List.of(p19));
		final IOException e = assertThrows(IOException.class, () -> RecordsCsv.read(folder));
		assertTrue(e.getMessage().contains("the image id 'mask' is in " + folder.resolve("p07.csv") + " and in " + folder.resolve("p19.csv")), e.getMessage());
		Files.delete(folder.resolve("p19.csv"));
		RecordsCsv.write(folder.resolve("p07-copy.csv"), List.of(p07));
		assertEquals(List.of(p07), RecordsCsv.read(folder), "an identical copy adds nothing");
	}
}
