package org.persona4j.models.train.fused;

/**
 * Maps a list of ids from {@code [0, vocabulary)} to dense indices in order of first appearance, in
 * time linear in the list (a stamp per id, so nothing is cleared between calls). Used to sum the
 * gradient rows of a batch per distinct id before writing them into a table's gradient. Not
 * thread-safe.
 */
final class RowCompactor {
    private final int[] stamp;
    private final int[] slot;
    private int generation;

    RowCompactor(int vocabulary) {
        this.stamp = new int[vocabulary];
        this.slot = new int[vocabulary];
    }

    /**
     * @param ids the ids, of which the first {@code n} are read (each in {@code [0, vocabulary)})
     * @param seg receives, for each of the {@code n} ids, its dense index
     * @param uniq receives the distinct ids at their dense indices
     * @return the number of distinct ids
     */
    int compact(int[] ids, int n, int[] seg, int[] uniq) {
        if (++generation == 0) {
            java.util.Arrays.fill(stamp, 0);
            generation = 1;
        }
        int u = 0;
        for (int i = 0; i < n; i++) {
            int id = ids[i];
            if (stamp[id] != generation) {
                stamp[id] = generation;
                slot[id] = u;
                uniq[u++] = id;
            }
            seg[i] = slot[id];
        }
        return u;
    }
}
