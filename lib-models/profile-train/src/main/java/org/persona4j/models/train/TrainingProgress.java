package org.persona4j.models.train;

/**
 * Progress after one mini-batch.
 *
 * @param epoch the epoch, 1-based
 * @param epochs the number of epochs planned
 * @param batch the batch within the epoch, 1-based
 * @param batches the batches per epoch
 * @param loss the batch loss
 * @param eventsPerSecond training positions per second since training started
 * @param etaSeconds estimated seconds left for the planned epochs
 */
public record TrainingProgress(int epoch, int epochs, int batch, int batches, double loss, double eventsPerSecond,
                               double etaSeconds) {
}
