package org.lesionweighting.fiji;

import java.io.File;
import java.nio.file.Path;
import java.util.concurrent.CancellationException;

import org.lesionweighting.phantom.LesionPhantom;
import org.lesionweighting.phantom.Phantom;
import org.lesionweighting.phantom.PhantomSpec;
import org.lesionweighting.util.ProgressListener;
import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.command.ContextCommand;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ij.ImagePlus;

/**
 * <b>Plugins &gt; Lesion Weighting &gt; Generate Lesion Phantom</b>: a synthetic 3D image with lesions of
 * log-uniform radii, and its mask, reproducible by {@code seed}.
 * <p>
 * Macro: {@code run("Generate Lesion Phantom", "lesions=20 seed=1");} Headless:
 * {@code --run "Generate Lesion Phantom" "image_file='phantom.tif',mask_file='mask.tif'"}.
 */
@Plugin(type = Command.class, menuPath = "Plugins>Lesion Weighting>Generate Lesion Phantom", label = "Generate Lesion Phantom",
		description = "Synthetic 3D image and lesion mask (ellipsoids and blobs, log-uniform radii, noise) for "
				+ "trying the suite")
public class GenerateLesionPhantomCommand extends ContextCommand {

	/** Menu leaf title, used in macros and on the command line. */
	public static final String TITLE = "Generate Lesion Phantom";

	@Parameter
	private StatusService statusService;

	@Parameter(label = "Width", description = "Voxels along x.", min = "1", max = "4096", required = false, persist = false)
	private int width = (int) PhantomSpec.SIZE_DEFAULT[0];

	@Parameter(label = "Height", description = "Voxels along y.", min = "1", max = "4096", required = false, persist = false)
	private int height = (int) PhantomSpec.SIZE_DEFAULT[1];

	@Parameter(label = "Depth", description = "Voxels along z (slices).", min = "1", max = "4096", required = false, persist = false)
	private int depth = (int) PhantomSpec.SIZE_DEFAULT[2];

	@Parameter(label = "Number of lesions", description = "Lesions to place.", min = "0", max = "100000", required = false, persist = false)
	private int lesions = PhantomSpec.NUM_LESIONS_DEFAULT;

	@Parameter(label = "Minimum radius", description = "Smallest lesion radius in voxels (radii are log-uniform).", required = false, persist = false,
			min = "0.1", max = "1000")
	private double min_radius = PhantomSpec.MIN_RADIUS_DEFAULT;

	@Parameter(label = "Maximum radius", description = "Largest lesion radius in voxels.", required = false, persist = false, min = "0.1", max = "1000")
	private double max_radius = PhantomSpec.MAX_RADIUS_DEFAULT;

	@Parameter(label = "Contrast", description = "Intensity added inside lesions.", required = false, persist = false, min = "-1000000", max = "1000000")
	private double contrast = PhantomSpec.CONTRAST_DEFAULT;

	@Parameter(label = "Noise", description = "Standard deviation of the Gaussian noise.", min = "0", max = "1000000", required = false, persist = false)
	private double noise = PhantomSpec.NOISE_SIGMA_DEFAULT;

	@Parameter(label = "Random seed", description = "Same seed, same phantom.", required = false, persist = false, min = "0", max = "9223372036854775807")
	private long seed = PhantomSpec.SEED_DEFAULT;

	@Parameter(label = "Image file", description = "Save the 32-bit image here (.tif; optional).", required = false, persist = false, style = "save")
	private File image_file;

	@Parameter(label = "Mask file", description = "Save the 8-bit mask (1 = lesion) here (.tif; optional).", required = false, persist = false, style = "save")
	private File mask_file;

	@Parameter(type = ItemIO.OUTPUT, label = "Phantom", description = "32-bit image 'phantom'.")
	private ImagePlus phantom;

	@Parameter(type = ItemIO.OUTPUT, label = "Mask", description = "8-bit mask 'phantom-mask' (1 = lesion, 0 = background).")
	private ImagePlus mask;

	@Parameter(type = ItemIO.OUTPUT, label = "Number of lesions", description = "Connected lesions in the mask (touching lesions merge).")
	private int count;

	@Override
	public void run() {
		try {
			final Path imagePath = CommandInputs.volumeOutput(image_file);
			final Path maskPath = CommandInputs.volumeOutput(mask_file);
			final PhantomSpec spec = new PhantomSpec().size(width, height, depth).numLesions(lesions).minRadius(min_radius).maxRadius(max_radius)
					.contrast(contrast).noiseSigma(noise).seed(seed);
			final Phantom p = LesionPhantom.generate(spec, ProgressListener.cancellable(StatusProgress.of(statusService), CancelRequests.of(this), TITLE));
			phantom = ImagePlusBridge.toImagePlus(p.image(), "phantom");
			mask = ImagePlusBridge.toImagePlus(p.mask(), "phantom-mask");
			count = p.numLesions();
			new OutputFiles().volume(phantom, imagePath).volume(mask, maskPath).commit();
		}
		catch (final CancellationException e) {
			cancel(TITLE + " was cancelled; nothing was written.");
		}
		catch (final java.io.IOException e) {
			throw new CommandException(e.getMessage(), e);
		}
	}
}
