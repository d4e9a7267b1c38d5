package org.lesionweighting.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesionweighting.engine.WorkerClassPath;
import org.w3c.dom.Element;

/**
 * The update site built from the real artifacts of this build: the suite's jar and the dependency jars in
 * {@code target/lib}. An integration test (failsafe, after {@code package} in {@code mvn verify}), since both
 * exist only then.
 */
class UpdateSiteIT {

	@Test
	void theSiteOfTheRealJarsListsWhatTheWorkerNeedsAndNothingFijiShips(@TempDir final Path dir) throws Exception {
		final Path lib = Paths.get("target/lib");
		assertTrue(Files.isDirectory(lib), "the package phase copies the runtime dependencies to " + lib);
		final Path suite;
		try (var s = Files.list(Paths.get("target"))) {
			suite = s.filter(p -> p.getFileName().toString().matches("lesion-weighting-\\d.*\\.jar") && !p.getFileName().toString().contains("-app")
					&& !p.getFileName().toString().contains("sources") && !p.getFileName().toString().contains("tests")).findFirst().orElse(null);
		}
		assertNotNull(suite, "the package phase builds target/lesion-weighting-<version>.jar");
		final Path site = dir.resolve("site");
		UpdateSiteBuilder.build(UpdateSiteBuilder.entries(suite, lib, lib, Paths.get("macros")), site, UpdateSiteBuilderTest.TS, null);
		final Map< String, Element > records = UpdateSiteBuilderTest.read(site);
		UpdateSiteBuilderTest.checkAgainstFiles(site, records);
		UpdateSiteBuilderTest.assertNoTensorFlowOnFijisClassPath(site, records);
		// every jar the worker needs is listed (WorkerClassPath's list, from the worker's side)
		for (final String prefix : WorkerClassPath.TENSORFLOW_JARS)
			assertTrue(records.keySet().stream().anyMatch(p -> p.startsWith(UpdateSiteBuilder.WORKER_FOLDER + prefix)), prefix);
		// the default build has the Linux x86-64 native only (mvn -Pupdate-site adds the other platforms')
		assertEquals(List.of("linux64"), UpdateSiteBuilderTest.texts(records.get("lib/linux64/tensorflow-core-native-1.1.0-linux-x86_64.jar"), "platform"));
		UpdateSiteBuilderTest.assertValidAgainstTheUpdatersDtd(site);
		assertTrue(records.keySet().stream().anyMatch(p -> p.startsWith("jars/lesion-weighting-")), "the suite's jar is listed: " + records.keySet());
		for (final String p : records.keySet())
			assertFalse(p.contains("imglib2") || p.contains("scijava") || p.contains("/ij-") || p.contains("protobuf") || p.contains("javacpp"),
					"Fiji ships " + p);
	}
}
