package org.persona4j.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.recommend.Histories;

/**
 * Evaluation protocols.
 * <ul>
 * <li>{@code loo} (leave-one-out, the S3-Rec standard): per user in time order, the last item is the
 * test target with all earlier events as input; the second last is the validation target. Users
 * with one event only train.</li>
 * <li>{@code temporal}: one global cut at the time quantile {@code 1 - testFraction}; events after it
 * are targets (distinct items per user) for users who also have events before it.</li>
 * <li>{@code session}: sessions ordered by start time; the last {@code testFraction} of them are
 * test sessions, whose last item is predicted from the rest of the session (cases whose target never
 * occurs in training are dropped, as in the SR-GNN protocol).</li>
 * </ul>
 */
public final class Protocols {
    /** The protocol names accepted by {@link #split(String, List)}. */
    public static final List<String> NAMES = List.of("loo", "temporal", "session");

    private Protocols() {
    }

    /**
     * @param name loo, temporal or session
     * @param events all events
     * @return the split (temporal and session hold out 20%)
     * @throws BadInputException for an unknown name, listing the known ones
     */
    public static EvalSplit split(String name, List<BehaviorEvent> events) {
        switch (name == null ? "" : name.toLowerCase(Locale.ROOT)) {
            case "loo": case "leave-one-out": return leaveOneOut(events);
            case "temporal": return temporal(events, 0.2);
            case "session": case "sessions": return session(events, 0.2, 30);
            default:
                throw new BadInputException("unknown protocol \"" + name + "\": expected one of " + NAMES);
        }
    }

    private static int countItems(List<BehaviorEvent> events) {
        Set<String> s = new HashSet<>();
        for (BehaviorEvent e : events) {
            if (e.itemId() != null) {
                s.add(e.itemId());
            }
        }
        return s.size();
    }

    /**
     * @param events all events (events without an item are ignored)
     * @return the leave-one-out split
     */
    public static EvalSplit leaveOneOut(List<BehaviorEvent> events) {
        List<BehaviorEvent> train = new ArrayList<>();
        List<BehaviorEvent> trainVal = new ArrayList<>();
        List<EvalCase> val = new ArrayList<>();
        List<EvalCase> test = new ArrayList<>();
        for (Map.Entry<String, List<BehaviorEvent>> u : Histories.byUser(withItems(events)).entrySet()) {
            List<BehaviorEvent> h = u.getValue();
            int n = h.size();
            if (n == 1) {
                train.addAll(h);
                trainVal.addAll(h);
                continue;
            }
            train.addAll(h.subList(0, n - 1));
            test.add(new EvalCase(u.getKey(), h.subList(0, n - 1), List.of(h.get(n - 1).itemId())));
            if (n >= 3) {
                trainVal.addAll(h.subList(0, n - 2));
                val.add(new EvalCase(u.getKey(), h.subList(0, n - 2), List.of(h.get(n - 2).itemId())));
            } else {
                trainVal.addAll(h.subList(0, n - 1));
            }
        }
        return new EvalSplit("loo: last item of each user is the test target, the second last validates; "
                + "full ranking over all training items, the input's items excluded, ties counted against",
                train, trainVal, val, test, countItems(events));
    }

    private static List<BehaviorEvent> withItems(List<BehaviorEvent> events) {
        List<BehaviorEvent> out = new ArrayList<>(events.size());
        for (BehaviorEvent e : events) {
            if (e.itemId() != null) {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * @param events all events
     * @param testFraction share of the time-ordered events after the cut, in (0, 1)
     * @return the temporal split (validation: the same rule applied inside the training part)
     */
    public static EvalSplit temporal(List<BehaviorEvent> events, double testFraction) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new BadInputException("temporal protocol: field 'testFraction': expected (0, 1), was " + testFraction);
        }
        List<BehaviorEvent> all = withItems(events);
        long cut = quantile(all, 1 - testFraction);
        List<BehaviorEvent> train = new ArrayList<>();
        for (BehaviorEvent e : all) {
            if (e.timestampMillis() <= cut) {
                train.add(e);
            }
        }
        long vcut = quantile(train, 1 - testFraction);
        List<BehaviorEvent> trainVal = new ArrayList<>();
        for (BehaviorEvent e : train) {
            if (e.timestampMillis() <= vcut) {
                trainVal.add(e);
            }
        }
        return new EvalSplit("temporal: events after the " + Math.round(100 * (1 - testFraction))
                + "% time quantile are the targets (distinct items per user); full ranking, the input's items excluded, ties counted against",
                train, trainVal, cases(train.isEmpty() ? List.of() : all, vcut, cut), cases(all, cut, Long.MAX_VALUE),
                countItems(all));
    }

    private static List<EvalCase> cases(List<BehaviorEvent> all, long cut, long until) {
        List<EvalCase> out = new ArrayList<>();
        for (Map.Entry<String, List<BehaviorEvent>> u : Histories.byUser(all).entrySet()) {
            List<BehaviorEvent> in = new ArrayList<>();
            LinkedHashSet<String> targets = new LinkedHashSet<>();
            for (BehaviorEvent e : u.getValue()) {
                if (e.timestampMillis() <= cut) {
                    in.add(e);
                } else if (e.timestampMillis() <= until) {
                    targets.add(e.itemId());
                }
            }
            if (!in.isEmpty() && !targets.isEmpty()) {
                out.add(new EvalCase(u.getKey(), in, new ArrayList<>(targets)));
            }
        }
        return out;
    }

    private static long quantile(List<BehaviorEvent> events, double q) {
        if (events.isEmpty()) {
            return Long.MIN_VALUE;
        }
        long[] t = events.stream().mapToLong(BehaviorEvent::timestampMillis).toArray();
        Arrays.sort(t);
        return t[Math.min(t.length - 1, (int) Math.floor(q * (t.length - 1)))];
    }

    /**
     * @param events all events
     * @param testFraction share of the sessions (by start time) held out, in (0, 1)
     * @param gapMinutes inactivity that splits sessions of events without a session id
     * @return the session split (validation: the last {@code testFraction} of the training sessions)
     */
    public static EvalSplit session(List<BehaviorEvent> events, double testFraction, int gapMinutes) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new BadInputException("session protocol: field 'testFraction': expected (0, 1), was " + testFraction);
        }
        List<List<BehaviorEvent>> sessions = new ArrayList<>(Histories.sessions(events, gapMinutes * 60_000L));
        sessions.sort(Comparator.comparingLong(s -> s.get(0).timestampMillis()));
        int nTest = (int) Math.round(sessions.size() * testFraction);
        List<List<BehaviorEvent>> trainS = sessions.subList(0, sessions.size() - nTest);
        List<List<BehaviorEvent>> testS = sessions.subList(sessions.size() - nTest, sessions.size());
        int nVal = (int) Math.round(trainS.size() * testFraction);
        List<List<BehaviorEvent>> fitS = trainS.subList(0, trainS.size() - nVal);
        List<List<BehaviorEvent>> valS = trainS.subList(trainS.size() - nVal, trainS.size());
        List<BehaviorEvent> train = flat(trainS);
        List<BehaviorEvent> fit = flat(fitS);
        return new EvalSplit("session: sessions by start time, the last " + Math.round(100 * testFraction)
                + "% are test sessions; each test session's last item is predicted from its earlier events (targets unseen in training dropped); "
                + "full ranking, the input's items excluded, ties counted against",
                train, fit, sessionCases(valS, fit), sessionCases(testS, train), countItems(events));
    }

    private static List<BehaviorEvent> flat(List<List<BehaviorEvent>> sessions) {
        List<BehaviorEvent> out = new ArrayList<>();
        sessions.forEach(out::addAll);
        return out;
    }

    private static List<EvalCase> sessionCases(List<List<BehaviorEvent>> sessions, List<BehaviorEvent> train) {
        Set<String> known = new HashSet<>();
        for (BehaviorEvent e : train) {
            known.add(e.itemId());
        }
        List<EvalCase> out = new ArrayList<>();
        for (List<BehaviorEvent> s : sessions) {
            if (s.size() < 2) {
                continue;
            }
            String target = s.get(s.size() - 1).itemId();
            if (known.contains(target)) {
                out.add(new EvalCase(s.get(0).userId(), s.subList(0, s.size() - 1), List.of(target)));
            }
        }
        return out;
    }
}
