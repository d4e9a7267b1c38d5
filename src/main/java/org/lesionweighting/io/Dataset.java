package org.lesionweighting.io;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A dataset folder opened by {@link Datasets#open(Path)}: its usable cases, the rejected ones with
 * reasons, and the nnU-Net description (channel names, labels, file ending). Immutable.
 *
 * @param root the dataset folder
 * @param layout the folder layout found
 * @param cases all usable cases (training first, then test), sorted by name within each part
 * @param rejected every case or file that was rejected, with the reason; empty if all is well
 * @param channelNames channel names ({@code channel_names} of dataset.json, or {@code "0"}, {@code "1"}, … if
 *          absent)
 * @param labels the {@code labels} map of dataset.json (name → value or list of values); empty for plain folders
 * @param fileEnding the file ending of the nnU-Net layout (e.g. {@code .nii.gz}), or {@code null} for plain folders
 */
public record Dataset(Path root, Layout layout, List< DatasetCase > cases, List< RejectedCase > rejected, List< String > channelNames,
		Map< String, Object > labels, String fileEnding) {

	public enum Layout {

		/** nnU-Net v2 raw: {@code imagesTr/}, {@code labelsTr/}, {@code imagesTs/}, {@code labelsTs/}, {@code dataset.json}. */
		NNUNET,
		/** {@code images/<case>.<ext>} and {@code labels/<case>.<ext>}. */
		PLAIN;

		/** Lowercase key: {@code nnunet}, {@code plain}. */
		public String key() {
			return name().toLowerCase(Locale.ROOT);
		}
	}

	/** Copies the lists and the labels map (insertion order kept). */
	public Dataset {
		cases = List.copyOf(cases);
		rejected = List.copyOf(rejected);
		channelNames = List.copyOf(channelNames);
		labels = labels == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(labels));
	}

	/** Usable cases with a label that are not test cases. */
	public List< DatasetCase > trainingCases() {
		return cases.stream().filter(c -> !c.test()).collect(Collectors.toList());
	}

	/** Usable test cases ({@code imagesTs/}); their label may be {@code null}. */
	public List< DatasetCase > testCases() {
		return cases.stream().filter(DatasetCase::test).collect(Collectors.toList());
	}

	/** Number of input channels per case. */
	public int numChannels() {
		return channelNames.size();
	}

	@Override
	public String toString() {
		return "Dataset[" + root + ", " + layout.key() + ", " + cases.size() + " cases, " + rejected.size() + " rejected, " + numChannels() + " channels]";
	}
}
