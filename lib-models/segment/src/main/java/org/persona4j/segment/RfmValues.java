package org.persona4j.segment;

import org.persona4j.core.BadInputException;

/**
 * One user's raw RFM aggregates.
 *
 * @param recencyDays days since the last purchase, finite and {@code >= 0}; ignored (may be NaN)
 *        when {@code frequency == 0}
 * @param frequency number of purchase events, {@code >= 0}
 * @param monetary money spent (unit price times quantity), finite and {@code >= 0}
 */
public record RfmValues(double recencyDays, long frequency, double monetary) {
    /** Validates. @throws BadInputException naming the bad field */
    public RfmValues {
        if (frequency < 0) {
            throw new BadInputException("RFM values: field 'frequency': expected >= 0, was " + frequency);
        }
        if (frequency > 0 && !(recencyDays >= 0 && Double.isFinite(recencyDays))) {
            throw new BadInputException("RFM values: field 'recencyDays': expected a finite number >= 0, was " + recencyDays);
        }
        if (!(monetary >= 0 && Double.isFinite(monetary))) {
            throw new BadInputException("RFM values: field 'monetary': expected a finite number >= 0, was " + monetary);
        }
    }

    /** @return true when the user bought at least once */
    public boolean hasPurchases() {
        return frequency > 0;
    }

    /** @return average order value (monetary / frequency), 0 without purchases */
    public double averageOrderValue() {
        return frequency == 0 ? 0 : monetary / frequency;
    }
}
