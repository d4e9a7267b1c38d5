package org.lesionweighting.tf.train;

/**
 * One row of the training history ({@code history.csv}).
 *
 * @param iteration 1-based count of completed iterations
 * @param loss the loss of that iteration's batch
 * @param learningRate the learning rate used
 * @param seconds wall-clock seconds of training so far, summed over resumed sessions
 */
public record HistoryRow(long iteration, double loss, double learningRate, double seconds) {}
