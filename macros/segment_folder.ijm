// Lesion Weighting: segment every volume of a folder with a trained model.
//
// Argument: "<model folder>|<image folder>|<extra options>" (extra options optional, passed to Segment Lesions,
// e.g. "patch_size=96 stride=80 device=gpu engine=worker").
// Without an argument (in Fiji) folder choosers open.
// For each image <name>.nii.gz/.nii/.mhd/.mha/.tif it writes, into <image folder>/segmentation/:
//   <name>-probabilities.tif   lesion probability (32-bit)
//   <name>-mask.tif            probability > 0.5
// nnU-Net folders (imagesTs/<case>_0000.nii.gz, <case>_0001.nii.gz, ...: one file per channel) are segmented once
// per case, from its _0000 file: Segment Lesions adds the case's other channel files itself when the model has
// several channels. The outputs are then named after the case: <case>-probabilities.tif, <case>-mask.tif.
//
// Fiji:      Plugins > Lesion Weighting > Segment Folder (installed from the update site)
// Headless:  java -jar lesion-weighting-app.jar --macro segment_folder.ijm "/models/ms|/data/new_scans"
//            ImageJ-linux64 --headless -batch segment_folder.ijm "/models/ms|/data/new_scans"

arg = getArgument();
parts = split(arg, "|");
if (arg == "") {
	model = getDirectory("Choose the model folder");
	dir = getDirectory("Choose the folder of images to segment");
	extra = "";
} else {
	model = parts[0];
	dir = parts[1];
	extra = "";
	if (parts.length > 2) extra = parts[2];
}
if (!endsWith(dir, "/") && !endsWith(dir, File.separator)) dir = dir + File.separator;
out = dir + "segmentation" + File.separator;
File.makeDirectory(out);
setBatchMode(true);
list = getFileList(dir);
n = 0;
for (i = 0; i < list.length; i++) {
	name = list[i];
	lower = toLowerCase(name);
	base = "";
	if (endsWith(lower, ".nii.gz")) base = substring(name, 0, lengthOf(name) - 7);
	else if (endsWith(lower, ".nii") || endsWith(lower, ".mhd") || endsWith(lower, ".mha") || endsWith(lower, ".tif")) base = substring(name, 0, lastIndexOf(name, "."));
	if (base == "") continue;
	if (matches(base, ".*_[0-9][0-9][0-9][0-9]")) {
		// an nnU-Net channel file <case>_XXXX: the case is segmented once, from <case>_0000
		caseName = substring(base, 0, lengthOf(base) - 5);
		ext = substring(name, lengthOf(base));
		if (endsWith(base, "_0000")) base = caseName;
		else if (File.exists(dir + caseName + "_0000" + ext)) continue;
	}
	run("Segment Lesions", "model=[" + model + "] input=[" + dir + name + "] outputs=probabilities,mask probabilities_path=[" + out + base + "-probabilities.tif] mask_path=[" + out + base + "-mask.tif] " + extra);
	close("*");
	n++;
}
print("Lesion Weighting: segmented " + n + " images into " + out);
return "" + n;
