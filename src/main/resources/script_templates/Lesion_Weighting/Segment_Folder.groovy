#@ File (label = "Model folder", style = "directory") model
#@ File (label = "Folder of images", style = "directory") folder
#@ String (label = "Engine", choices = {"auto", "worker", "in_process"}, value = "auto") engine
#@ String (label = "Device", choices = {"auto", "cpu", "gpu"}, value = "auto") device
#@ CommandService command
#@ LogService log

// Lesion Weighting: segment every NIfTI/MetaImage/TIFF volume of a folder with a trained model.
// Writes <folder>/segmentation/<name>-mask.tif and <name>-probabilities.tif.
// Headless: ImageJ-linux64 --headless --run Segment_Folder.groovy "model='/models/ms',folder='/data/scans'"

def out = new File(folder, "segmentation")
out.mkdirs()
def n = 0
folder.listFiles().sort().each { f ->
	def name = f.name
	def base = name.replaceAll(/(?i)\.(nii\.gz|nii|mhd|mha|tif|tiff)$/, "")
	if (base == name || !f.isFile()) return
	def module = command.run("org.lesionweighting.fiji.infer.SegmentLesionsCommand", true,
		"model", model,
		"input", f,
		"outputs", "probabilities,mask",
		"probabilities_path", new File(out, base + "-probabilities.tif"),
		"mask_path", new File(out, base + "-mask.tif"),
		"engine", engine,
		"device", device).get()
	log.info("Lesion Weighting: " + name + ": " + module.getOutput("count") + " lesion(s)")
	n++
}
log.info("Lesion Weighting: segmented " + n + " image(s) into " + out)
