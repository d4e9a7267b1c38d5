package org.lesionweighting.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The authors' prc_records.json layout (a hand-made sample in that schema). */
class AuthorsRecordsTest {

	static final String SAMPLE = """
			{
			"7": [
			{"obj": "tum_1", "is_tum": true, "diameter": 4.5, "hit_dice": 0.0, "hit_max": 0.0, "hit_logit": -Infinity, "hit_stat": 0.0, "hit_obj": "pred_None", "self_stat": 1.0, "self_logit": Infinity},
			{"obj": "tum_2", "is_tum": true, "diameter": 9.25, "hit_dice": 0.5, "hit_max": 1.0, "hit_logit": 3.5, "hit_stat": 1.0, "hit_obj": "pred_2", "self_stat": 1.0, "self_logit": Infinity},
			{"obj": "pred_1", "is_tum": false, "diameter": 2.0, "hit_dice": 0.0, "hit_logit": -Infinity, "hit_stat": 0.0, "hit_obj": "tum_None", "self_stat": 0.75, "self_logit": 1.25},
			{"obj": "pred_2", "is_tum": false, "diameter": 8.0, "hit_dice": 0.5, "hit_logit": Infinity, "hit_stat": 1.0, "hit_obj": "tum_2", "self_stat": 1.0, "self_logit": 3.5}
			],
			"12": []
			}
			""";

	@Test
	void readsTheAuthorsFieldsAndSkipsEmptyImages() {
		final List< LesionRecord > r = AuthorsRecords.parse(SAMPLE);
		assertEquals(4, r.size());
		assertEquals(new LesionRecord("7", LesionRecord.Kind.LESION, 1, 4.5, 0, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, 0, Double.NaN, 0, 1),
				r.get(0));
		assertEquals(2, r.get(1).hitObject());
		assertEquals(new LesionRecord("7", LesionRecord.Kind.PREDICTION, 2, 8, 0.5, Double.POSITIVE_INFINITY, 3.5, 2, Double.NaN, 1, 1), r.get(3));
		assertEquals(1, Froc.numImages(r));
	}

	@Test
	void recordsReadDispatchesJsonFilesAndTheSmallSubsetLinksByHitObject(@TempDir final Path dir) throws IOException {
		final Path f = dir.resolve("prc_records.json");
		Files.writeString(f, SAMPLE);
		final List< LesionRecord > r = RecordsCsv.read(f);
		assertEquals(AuthorsRecords.parse(SAMPLE), r);
		// small (< 5): tum_1, pred_1; linked predictions of tum_1: none
		assertEquals(List.of(r.get(0), r.get(2)), Froc.smallSubset(r, 5));
		// small (< 10): both lesions, both predictions, plus pred_2 again as the link of tum_2
		assertEquals(5, Froc.smallSubset(r, 10).size());
	}

	@Test
	void badLayoutNamesTheImageAndField() {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> AuthorsRecords.parse("{\"3\": [{\"obj\": \"tum_1\", \"is_tum\": true}]}"));
		assertEquals(true, e.getMessage().contains("image 3") && e.getMessage().contains("diameter"), e.getMessage());
		assertThrows(IllegalArgumentException.class, () -> AuthorsRecords.parse("[1, 2]"));
	}
}
