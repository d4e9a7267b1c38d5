package org.lesionweighting.io;

import java.nio.file.Path;
import java.util.List;

/**
 * One case of a dataset folder.
 *
 * @param name the case name, e.g. {@code BRATS_001}
 * @param channels one file per input channel, in channel order
 * @param label the label file, or {@code null} (test cases without labels)
 * @param test whether the case comes from the test part ({@code imagesTs/})
 */
public record DatasetCase(String name, List< Path > channels, Path label, boolean test) {

	/** Copies the channel list. */
	public DatasetCase {
		channels = List.copyOf(channels);
	}
}
