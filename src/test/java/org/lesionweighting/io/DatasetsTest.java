package org.lesionweighting.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {

	@TempDir
	Path dir;

	private void vol(final Path p, final long nx, final double sx) throws IOException {
		Files.createDirectories(p.getParent());
		VolumeIO.write(p, TestVolumes.image(DataType.UINT8, nx, 4, 3), VolumeGeometry.ofSpacing(sx, 1, 2));
	}

	private static Map< String, String > reasons(final Dataset d) {
		return d.rejected().stream().collect(Collectors.toMap(RejectedCase::name, RejectedCase::reason));
	}

	@Test
	void nnUnetLayoutWithRejectedCases() throws IOException {
		Files.writeString(dir.resolve("dataset.json"), """
				{"channel_names": {"0": "FLAIR", "1": "T1"}, "labels": {"background": 0, "lesion": 1}, "numTraining": 5, "file_ending": ".nii.gz"}
				""");
		final Path tr = dir.resolve("imagesTr"), lt = dir.resolve("labelsTr");
		// good case
		vol(tr.resolve("ms_001_0000.nii.gz"), 5, 1);
		vol(tr.resolve("ms_001_0001.nii.gz"), 5, 1);
		vol(lt.resolve("ms_001.nii.gz"), 5, 1);
		// spacing within tolerance
		vol(tr.resolve("ms_002_0000.nii.gz"), 5, 1);
		vol(tr.resolve("ms_002_0001.nii.gz"), 5, 1.0000001);
		vol(lt.resolve("ms_002.nii.gz"), 5, 1);
		// missing channel 1
		vol(tr.resolve("ms_003_0000.nii.gz"), 5, 1);
		vol(lt.resolve("ms_003.nii.gz"), 5, 1);
		// no label
		vol(tr.resolve("ms_004_0000.nii.gz"), 5, 1);
		vol(tr.resolve("ms_004_0001.nii.gz"), 5, 1);
		// label of another size
		vol(tr.resolve("ms_005_0000.nii.gz"), 5, 1);
		vol(tr.resolve("ms_005_0001.nii.gz"), 5, 1);
		vol(lt.resolve("ms_005.nii.gz"), 6, 1);
		// other spacing
		vol(tr.resolve("ms_006_0000.nii.gz"), 5, 1);
		vol(tr.resolve("ms_006_0001.nii.gz"), 5, 1.5);
		vol(lt.resolve("ms_006.nii.gz"), 5, 1);
		// label without image, and a badly named file, and a corrupt header
		vol(lt.resolve("ms_007.nii.gz"), 5, 1);
		vol(tr.resolve("stray.nii.gz"), 5, 1);
		vol(tr.resolve("ms_008_0000.nii.gz"), 5, 1);
		Files.write(tr.resolve("ms_008_0001.nii.gz"), new byte[] { 1, 2, 3 });
		vol(lt.resolve("ms_008.nii.gz"), 5, 1);
		// test cases, one with label
		vol(dir.resolve("imagesTs/ms_101_0000.nii.gz"), 5, 1);
		vol(dir.resolve("imagesTs/ms_101_0001.nii.gz"), 5, 1);
		vol(dir.resolve("imagesTs/ms_102_0000.nii.gz"), 5, 1);
		vol(dir.resolve("imagesTs/ms_102_0001.nii.gz"), 5, 1);
		vol(dir.resolve("labelsTs/ms_102.nii.gz"), 5, 1);

		final Dataset d = Datasets.open(dir);
		assertEquals(Dataset.Layout.NNUNET, d.layout());
		assertEquals(2, d.numChannels());
		assertEquals(List.of("FLAIR", "T1"), d.channelNames());
		assertEquals(1.0, d.labels().get("lesion"));
		assertEquals(".nii.gz", d.fileEnding());
		assertEquals(List.of("ms_001", "ms_002"), d.trainingCases().stream().map(DatasetCase::name).toList());
		assertEquals(List.of("ms_101", "ms_102"), d.testCases().stream().map(DatasetCase::name).toList());
		final DatasetCase c = d.cases().get(0);
		assertEquals(List.of(tr.resolve("ms_001_0000.nii.gz"), tr.resolve("ms_001_0001.nii.gz")), c.channels());
		assertEquals(lt.resolve("ms_001.nii.gz"), c.label());
		assertNull(d.testCases().get(0).label());
		assertEquals(dir.resolve("labelsTs/ms_102.nii.gz"), d.testCases().get(1).label());
		final Map< String, String > r = reasons(d);
		assertEquals(7, r.size(), r.toString());
		assertTrue(r.get("ms_003").contains("missing channel 0001"), r.get("ms_003"));
		assertTrue(r.get("ms_004").contains("no label"), r.get("ms_004"));
		assertTrue(r.get("ms_005").contains("grid mismatch"), r.get("ms_005"));
		assertTrue(r.get("ms_006").contains("spacing mismatch"), r.get("ms_006"));
		assertTrue(r.get("ms_007").contains("has no image"), r.get("ms_007"));
		assertTrue(r.get("stray.nii.gz").contains("_XXXX"), r.get("stray.nii.gz"));
		assertTrue(r.get("ms_008").contains("unreadable header"), r.get("ms_008"));
	}

	@Test
	void nnUnetWithoutDatasetJsonInfersChannels() throws IOException {
		vol(dir.resolve("imagesTr/a_0000.nii"), 5, 1);
		vol(dir.resolve("labelsTr/a.nii"), 5, 1);
		final Dataset d = Datasets.open(dir);
		assertEquals(1, d.numChannels());
		assertEquals(".nii", d.fileEnding());
		assertEquals(1, d.cases().size());
	}

	@Test
	void plainLayoutMatchesByCaseName() throws IOException {
		vol(dir.resolve("images/p1.nii.gz"), 5, 1);
		vol(dir.resolve("labels/p1.mha"), 5, 1);
		vol(dir.resolve("images/p2.mhd"), 5, 1);
		vol(dir.resolve("labels/p2.nii"), 5, 1);
		vol(dir.resolve("images/p3.nii"), 5, 1);
		vol(dir.resolve("labels/p4.nii"), 5, 1);
		vol(dir.resolve("images/p5.nii"), 5, 1);
		vol(dir.resolve("labels/p5.nii"), 5, 2);
		final Dataset d = Datasets.open(dir);
		assertEquals(Dataset.Layout.PLAIN, d.layout());
		assertEquals(List.of("p1", "p2"), d.cases().stream().map(DatasetCase::name).toList());
		final Map< String, String > r = reasons(d);
		assertEquals(3, r.size(), r.toString());
		assertTrue(r.get("p3").contains("no label"));
		assertTrue(r.get("p4").contains("has no image"));
		assertTrue(r.get("p5").contains("spacing mismatch"));
	}

	@Test
	void notADatasetFolder() throws IOException {
		assertThrows(IOException.class, () -> Datasets.open(dir));
		assertThrows(IOException.class, () -> Datasets.open(dir.resolve("missing")));
		Files.writeString(dir.resolve("dataset.json"), "{not json");
		final IOException e = assertThrows(IOException.class, () -> Datasets.open(dir));
		assertTrue(e.getMessage().contains("dataset.json"));
	}
}
