// Lesion Weighting: train a 3D lesion segmentation network on a dataset folder.
//
// Argument: "<dataset folder>|<model folder>|<extra options>" (the extra options are optional and passed to
// the command as they are, e.g. "time_budget=30 device=gpu engine=worker show_plot augmentation";
// "show_plot" opens the live loss plot window in Fiji and "augmentation" keeps the plan's data augmentation on:
// as for any ImageJ checkbox, an absent key means off; no window is ever opened headless).
// Every setting not given comes from the dataset plan (plan.json in the model folder).
// Without an argument (in Fiji) folder choosers open and the plan's settings are used, with augmentation and the
// live loss plot.
// The dataset folder holds imagesTr/ + labelsTr/ (nnU-Net layout) or images/ + labels/ (NIfTI or MetaImage).
// The model folder receives checkpoints, history.csv, the SavedModel and model.json; cancelling leaves a
// folder that "resume" continues.
//
// Fiji:      Plugins > Lesion Weighting > Train On Dataset (installed from the update site)
// Headless:  java -jar lesion-weighting-app.jar --macro train_on_dataset.ijm "/data/Dataset001|/models/ms|preset=small"
//            ImageJ-linux64 --headless -batch train_on_dataset.ijm "/data/Dataset001|/models/ms|preset=small"

arg = getArgument();
parts = split(arg, "|");
if (arg == "") {
	dataset = getDirectory("Choose the dataset folder (imagesTr/labelsTr or images/labels)");
	model = getDirectory("Choose an empty folder for the model");
	extra = "show_plot augmentation";
} else {
	dataset = parts[0];
	model = parts[1];
	extra = "";
	if (parts.length > 2) extra = parts[2];
}
run("Train Lesion Segmenter", "dataset=[" + dataset + "] model=[" + model + "] " + extra);
print("Lesion Weighting: trained a model into " + model);
return model;
