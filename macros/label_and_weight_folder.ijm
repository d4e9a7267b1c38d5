// Lesion Weighting: label and weight every lesion mask in a folder.
//
// Argument: the folder holding the masks (.tif/.tiff; any non-zero voxel is lesion).
// Without an argument (in Fiji) a folder chooser opens.
// For each mask <name>.tif it writes, into <folder>/lesion_weighting/:
//   <name>-labels.tif    lesions numbered 1..K in raster order (26-connectivity)
//   <name>-lesions.csv   one row per lesion (voxel count, volume, ...)
//   <name>-weights.tif   32-bit inverse-volume weight map (W1, w_min = 1, w_max = 2e5)
//
// Fiji:      Plugins > Macros > Run... (or from another macro: runMacro(path, folder))
// Headless:  java -jar lesion-weighting-app.jar --macro label_and_weight_folder.ijm /data/masks/
//            ImageJ-linux64 --headless -batch label_and_weight_folder.ijm /data/masks/

dir = getArgument();
if (dir == "") dir = getDirectory("Choose a folder of lesion masks");
if (!endsWith(dir, "/") && !endsWith(dir, File.separator)) dir = dir + File.separator;
out = dir + "lesion_weighting" + File.separator;
File.makeDirectory(out);
setBatchMode(true);

list = getFileList(dir);
n = 0;
for (i = 0; i < list.length; i++) {
	name = list[i];
	lower = toLowerCase(name);
	if (!endsWith(lower, ".tif") && !endsWith(lower, ".tiff")) continue;
	base = substring(name, 0, lastIndexOf(name, "."));

	// label the open mask; the lesion table goes straight to a CSV file
	open(dir + name);
	mask = getTitle();
	run("Label Lesions 3D", "image=[" + mask + "] connectivity=26 table=[" + out + base + "-lesions.csv]");
	saveAs("Tiff", out + base + "-labels.tif");
	labels = getTitle();

	// weight the labels as they are (no relabeling)
	run("Lesion Weight Map", "image=[" + labels + "] already_labeled scheme=inverse_volume w_min=1 w_max=200000");
	saveAs("Tiff", out + base + "-weights.tif");

	close("*");
	n++;
}
print("Lesion Weighting: labeled and weighted " + n + " masks into " + out);
