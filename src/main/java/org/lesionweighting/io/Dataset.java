package org.lesionweighting.io;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A dataset folder opened by {@link Datasets#open(Path)}: its usable cases, the rejected ones with
 * reasons, and the nnU-Net description (channel names, labels, file ending). Immutable.
 */
public final class Dataset {

	/** Folder layouts. */
	public enum Layout {

		/** nnU-Net v2 raw: {@code imagesTr/}, {@code labelsTr/}, {@code imagesTs/}, {@code labelsTs/}, {@code dataset.json}. */
		NNUNET("nnunet"),
		/** {@code images/<case>.<ext>} and {@code labels/<case>.<ext>}. */
		PLAIN("plain");

		private final String key;

		Layout(final String key) {
			this.key = key;
		}

		/** Lowercase key. */
		public String key() {
			return key;
		}
	}

	private final Path root;

	private final Layout layout;

	private final List< DatasetCase > cases;

	private final List< RejectedCase > rejected;

	private final List< String > channelNames;

	private final Map< String, Object > labels;

	private final String fileEnding;

	Dataset(final Path root, final Layout layout, final List< DatasetCase > cases, final List< RejectedCase > rejected, final List< String > channelNames,
			final Map< String, Object > labels, final String fileEnding) {
		this.root = root;
		this.layout = layout;
		this.cases = List.copyOf(cases);
		this.rejected = List.copyOf(rejected);
		this.channelNames = List.copyOf(channelNames);
		this.labels = labels == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(labels));
		this.fileEnding = fileEnding;
	}

	/** The dataset folder. */
	public Path root() {
		return root;
	}

	/** The folder layout found. */
	public Layout layout() {
		return layout;
	}

	/** All usable cases (training first, then test), sorted by name within each part. */
	public List< DatasetCase > cases() {
		return cases;
	}

	/** Usable cases with a label that are not test cases. */
	public List< DatasetCase > trainingCases() {
		return cases.stream().filter(c -> !c.test()).collect(Collectors.toList());
	}

	/** Usable test cases ({@code imagesTs/}); their label may be {@code null}. */
	public List< DatasetCase > testCases() {
		return cases.stream().filter(DatasetCase::test).collect(Collectors.toList());
	}

	/** Every case or file that was rejected, with the reason. Empty if all is well. */
	public List< RejectedCase > rejected() {
		return rejected;
	}

	/** Number of input channels per case. */
	public int numChannels() {
		return channelNames.size();
	}

	/** Channel names ({@code channel_names} of dataset.json, or {@code "0"}, {@code "1"}, … if absent). */
	public List< String > channelNames() {
		return channelNames;
	}

	/** The {@code labels} map of dataset.json (name → value or list of values); empty for plain folders. */
	public Map< String, Object > labels() {
		return labels;
	}

	/** The file ending of the nnU-Net layout (e.g. {@code .nii.gz}), or {@code null} for plain folders. */
	public String fileEnding() {
		return fileEnding;
	}

	@Override
	public String toString() {
		return "Dataset[" + root + ", " + layout.key() + ", " + cases.size() + " cases, " + rejected.size() + " rejected, " + numChannels() + " channels]";
	}
}
