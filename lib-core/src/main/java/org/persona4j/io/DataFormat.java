package org.persona4j.io;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.persona4j.core.BadInputException;

/**
 * The file formats the readers understand, with their command-line names. See
 * {@code docs/data-formats.md} for each layout.
 */
public enum DataFormat {
    /** The SDK's own events CSV (the generator's output), with optional {@code items.csv} and {@code users.csv}. */
    EVENTS_CSV("events-csv"),
    /** Taobao UserBehavior: {@code user_id,item_id,category_id,behavior,timestamp}, no header. */
    TAOBAO("taobao"),
    /** RetailRocket {@code events.csv}: {@code timestamp,visitorid,event,itemid,transactionid}. */
    RETAILROCKET("retailrocket"),
    /** MovieLens {@code u.data}, {@code ratings.dat} or {@code ratings.csv}; ratings become RATE events. */
    MOVIELENS("movielens"),
    /** RecBole atomic files {@code .inter} with optional {@code .user} and {@code .item}. */
    RECBOLE("recbole"),
    /** S3-Rec sequence file, one user per line, with optional {@code *_item2attributes.json}. */
    S3REC("s3rec"),
    /** Session files: session-rec {@code SessionId ItemId Time} or Diginetica {@code ;}-separated views. */
    SESSIONS("sessions");

    private final String cliName;

    DataFormat(String cliName) {
        this.cliName = cliName;
    }

    /** @return the name used by {@code --format} */
    public String cliName() {
        return cliName;
    }

    /**
     * Parses a command-line name (case-insensitive; {@code _} and {@code -} are interchangeable).
     *
     * @param name the name
     * @return the format
     * @throws BadInputException naming the valid formats when the name is unknown
     */
    public static DataFormat parse(String name) {
        if (name != null) {
            String n = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
            for (DataFormat f : values()) {
                if (f.cliName.equals(n)) {
                    return f;
                }
            }
        }
        throw new BadInputException("unknown data format \"" + name + "\": expected one of "
                + Arrays.stream(values()).map(DataFormat::cliName).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return cliName;
    }
}
