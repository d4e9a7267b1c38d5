// Lesion Weighting: evaluate every case of a folder and pool the lesion records into a FROC.
// The folder holds <case>_prob.tif (averaged probabilities), <case>_truth.tif (ground-truth mask) and
// optionally <case>_logits.tif. Writes records/<case>.csv, summary.json, froc.csv and froc.png there.
// Argument (headless): the folder. Without an argument a folder is asked for.
dir = getArgument();
if (dir == "") dir = getDirectory("Folder with <case>_prob.tif and <case>_truth.tif");
if (!endsWith(dir, File.separator)) dir = dir + File.separator;
out = dir + "records" + File.separator;
File.makeDirectory(out);
list = getFileList(dir);
n = 0;
for (i = 0; i < list.length; i++) {
	if (endsWith(list[i], "_prob.tif")) {
		id = replace(list[i], "_prob.tif", "");
		options = "probabilities_file=[" + dir + list[i] + "] truth_file=[" + dir + id + "_truth.tif] image_id=[" + id + "] records=[" + out + id + ".csv]";
		if (File.exists(dir + id + "_logits.tif")) options = options + " logits_file=[" + dir + id + "_logits.tif]";
		run("Evaluate Lesion Detection", options);
		n++;
	}
}
run("Lesion FROC", "records=[" + out + "] summary=[" + dir + "summary.json] curve=[" + dir + "froc.csv] plot=[" + dir + "froc.png] bootstrap=10");
return "" + n + " images, " + nResults + " thresholds";
