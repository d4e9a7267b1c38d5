package org.lesionweighting.io;

/**
 * A case (or a stray file) that a dataset folder could not use, and why.
 *
 * @param name the case name (or file name)
 * @param reason what is wrong and what to do, e.g. {@code "no label labelsTr/case_007.nii.gz"}
 */
public record RejectedCase(String name, String reason) {}
