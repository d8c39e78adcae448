package org.persona4j.eval.profile;

/**
 * One bin of a reliability table: predictions in {@code [lower, upper)} (the last bin includes 1).
 *
 * @param lower the lower edge of the bin
 * @param upper the upper edge of the bin
 * @param count how many predictions fell in it
 * @param meanPredicted the mean predicted probability in the bin, NaN when empty
 * @param observedRate the share of positives in the bin, NaN when empty
 */
public record ReliabilityBin(double lower, double upper, int count, double meanPredicted, double observedRate) {
}
