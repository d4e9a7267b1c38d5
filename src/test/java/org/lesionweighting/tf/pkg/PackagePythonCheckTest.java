package org.lesionweighting.tf.pkg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lesionweighting.phantom.LesionPhantom;
import org.lesionweighting.phantom.Phantom;
import org.lesionweighting.phantom.PhantomSpec;
import org.lesionweighting.tf.data.Preprocessing;

/**
 * The independent reader: {@code src/test/python/check_bioimageio_package.py} (pyyaml, numpy, TensorFlow for
 * Python; no code of the suite) loads the package of a tiny trained model, checks every file's SHA-256, runs the
 * SavedModel and reproduces the test output to 1e-4. Skipped when the interpreter cannot import those packages. The
 * interpreter is the system property {@value #PYTHON_PROPERTY}, else the environment variable
 * {@value #PYTHON_ENV}, else {@code python3}; e.g. {@code -Dlesionweighting.python=/opt/venv/bin/python}.
 */
class PackagePythonCheckTest {

	/** System property naming the Python interpreter. */
	static final String PYTHON_PROPERTY = "lesionweighting.python";

	/** Environment variable naming the Python interpreter. */
	static final String PYTHON_ENV = "LESIONWEIGHTING_PYTHON";

	static final Path SCRIPT = Paths.get("src/test/python/check_bioimageio_package.py");

	static String python() {
		final String p = System.getProperty(PYTHON_PROPERTY, System.getenv(PYTHON_ENV));
		return p == null || p.isBlank() ? "python3" : p;
	}

	/** Runs a command; returns its exit code and output (stdout and stderr). */
	static Object[] run(final List< String > command) throws IOException, InterruptedException {
		final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
		final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		return new Object[] { p.waitFor(), out };
	}

	static boolean pythonHasTheModules() {
		try {
			return (int) run(List.of(python(), "-c", "import yaml, numpy, tensorflow"))[0] == 0;
		}
		catch (final IOException | InterruptedException e) {
			return false;
		}
	}

	@Test
	void pythonReadsThePackageAndReproducesTheTestOutput(@TempDir final Path dir) throws Exception {
		assumeTrue(pythonHasTheModules(),
				"skipped: " + python() + " cannot import yaml, numpy and tensorflow (pip install pyyaml numpy tensorflow-cpu, or point -D" + PYTHON_PROPERTY
						+ " at an interpreter that can)");
		final Path model = dir.resolve("model");
		PackageExporterTest.trainTiny(model);
		final Phantom p = LesionPhantom.generate(new PhantomSpec().size(24, 20, 16).numLesions(3).maxRadius(4).seed(5));
		final Path zip = dir.resolve("tiny.zip");
		PackageExporter.export(model, zip, new PackageOptions("Tiny lesion model (python check)", List.of("Jane Doe"), "CC-BY-4.0", null),
				new TestCase("phantom5", List.of(p.image()), p.mask()), null);
		final String out = check(zip);
		assertTrue(out.contains("file saved_model.zip: sha256 ok") && out.contains("file test_output.npy: sha256 ok")
				&& out.contains("file README.md: sha256 ok") && out.contains("the description's steps ensure_dtype, zero_mean_unit_variance"), out);
		// zscore_nonzero (the plan's choice for skull-stripped MR) is checked with the rule stated in config
		final Path nonzero = dir.resolve("nonzero.zip");
		PackageExporter.export(PackageExporterTest.withPreprocessing(model, dir.resolve("nonzero"), Preprocessing.ZSCORE_NONZERO), nonzero,
				new PackageOptions("Tiny lesion model (nonzero)", List.of("Jane Doe"), "CC-BY-4.0", null),
				new TestCase("half", List.of(PackageExporterTest.halfZero(p)), p.mask()), null);
		assertTrue(check(nonzero).contains("preprocessing: zscore_nonzero (config"));
	}

	/** Runs the script on a package and checks that it passed; returns its output. */
	private static String check(final Path zip) throws IOException, InterruptedException {
		final Object[] r = run(List.of(python(), SCRIPT.toString(), zip.toString()));
		final String out = (String) r[1];
		System.out.println(out);
		assertEquals(0, (int) r[0], out);
		assertTrue(out.strip().endsWith("OK"), out);
		return out;
	}
}
