package org.lesionweighting.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.lesionweighting.engine.Engine;
import org.lesionweighting.label.Connectivity;
import org.lesionweighting.tf.infer.Blending;
import org.lesionweighting.tf.loss.LossKind;
import org.lesionweighting.tf.model.Device;
import org.lesionweighting.tf.train.OptimizerKind;
import org.lesionweighting.tf.train.TrainingChoices;
import org.lesionweighting.tf.graph.UNetConfig;
import org.lesionweighting.weights.WeightScheme;
import org.scijava.plugin.Parameter;

/**
 * Issue 14: a command's {@code choices} are written in its annotation, apart from the enum that parses them, and drifted
 * (Lesion Weight Map offered {@code uniform}, Train Lesion Segmenter {@code none} for one {@link WeightScheme}). Every
 * {@code choices} of every command is compared with the keys of the type that owns the option.
 */
class CommandChoicesTest {

	private static final String AUTO = TrainingChoices.AUTO;

	/** The keys each option must offer, by parameter name; a new option with choices must be added here. */
	private static final Map< String, List< String > > KEYS = Map.of("loss", List.of(LossKind.keys()), "weighting", List.of(WeightScheme.keys()), "scheme",
			List.of(WeightScheme.keys()), "device",
			List.of(Device.keys()), "engine", List.of(Engine.keys()), "blending", Arrays.stream(Blending.values()).map(Blending::key).toList(), "connectivity",
			List.of(Connectivity.keys()), "optimizer",
			withAuto(Arrays.stream(OptimizerKind.values()).map(OptimizerKind::key).toList()), "preset",
			withAuto(List.of(UNetConfig.PAPER.preset(), UNetConfig.SMALL.preset())));

	private static List< String > withAuto(final List< String > keys) {
		final List< String > out = new ArrayList<>(List.of(AUTO));
		out.addAll(keys);
		return out;
	}

	@Test
	void everyCommandOffersTheKeysOfItsOptionsType() throws Exception {
		int checked = 0;
		for (final Class< ? > command : commands())
			for (final Field f : command.getDeclaredFields()) {
				final Parameter p = f.getAnnotation(Parameter.class);
				if (p == null || p.choices().length == 0) continue;
				final List< String > expected = KEYS.get(f.getName());
				assertTrue(expected != null,
						command.getSimpleName() + "." + f.getName() + " has choices " + Arrays.toString(p.choices()) + " but no owning type in this test");
				assertEquals(expected, List.of(p.choices()), command.getSimpleName() + "." + f.getName());
				checked++;
			}
		assertTrue(checked >= 14, "all choices of the suite's commands were seen: " + checked);
	}

	/** The command classes of the main sources (annotated {@code @Plugin(type = Command.class}). */
	private static List< Class< ? > > commands() throws IOException, ClassNotFoundException {
		final Path main = Paths.get("src/main/java");
		final List< Class< ? > > out = new ArrayList<>();
		try (Stream< Path > s = Files.walk(main)) {
			for (final Path p : (Iterable< Path >) s.filter(q -> q.toString().endsWith(".java"))::iterator)
				if (Files.readString(p).contains("@Plugin(type = Command.class"))
					out.add(Class.forName(main.relativize(p).toString().replace(".java", "").replace('/', '.')));
		}
		assertTrue(out.size() >= 8, "the suite's commands were found: " + out);
		return out;
	}
}
