package org.persona4j.engine;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.UnaryOperator;
import org.persona4j.core.BadInputException;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.Ids;
import org.persona4j.core.InMemoryCatalog;
import org.persona4j.core.Item;
import org.persona4j.core.ProfileModel;
import org.persona4j.core.Recommendation;
import org.persona4j.core.RecommendationRequest;
import org.persona4j.core.Recommender;
import org.persona4j.core.SearchReranker;
import org.persona4j.core.Segment;
import org.persona4j.core.Segmenter;
import org.persona4j.core.UserProfile;
import org.persona4j.features.aggregate.AggregateConfig;
import org.persona4j.features.aggregate.AggregateSnapshot;
import org.persona4j.features.aggregate.ItemResolver;
import org.persona4j.features.tags.ProfileTagger;
import org.persona4j.store.InMemoryProfileStore;
import org.persona4j.store.UserDataStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The facade a host backend calls: ingest events, read profiles, recommend, re-rank search results,
 * explain, segment and forget users. Thread-safe; build one per process with {@link #builder} and
 * close it on shutdown.
 *
 * <p><b>State.</b> Each user's live state (the model state, the last {@code historySize} events and
 * a cached profile) sits in a bounded cache of {@code maxCachedUsers} entries. Every change is
 * applied atomically per user; different users proceed in parallel. Changed users are written
 * behind to the {@link UserDataStore} — the profile together with the recent-event log (state slot
 * {@value #EVENTS_SLOT}, from which the model state is rebuilt), in one atomic write — every
 * {@code flushInterval} (paced by {@code flushDutyCycle}, which spreads the writer's CPU use over
 * time), on eviction from the cache, on {@link #flush()} and on {@link #close()}. A user missing
 * from the cache is loaded back from the store by replaying its event log through the serving
 * model. Memory is therefore bounded by {@code maxCachedUsers × (historySize × event size + model
 * state)}, whatever the number of users.
 *
 * <p><b>Privacy.</b> With a pseudonymiser every user id is replaced at the boundary: stores, caches
 * and returned profiles only see the pseudonym. {@link #forget} removes the user from the cache and
 * the store (profile and every state slot).
 *
 * <p><b>Model hot-swap.</b> {@link #swapModel} installs a new model without blocking requests:
 * calls in flight finish on the old model, which is closed when the last of them returns; user
 * states are rebuilt lazily from their recent events with the new model.
 *
 * <p><b>Search.</b> {@link #rerank} uses the configured {@link SearchReranker}, by default a
 * {@link ProfileReranker} (weights 1, 1, 1) whose history term is the cosine of the serving model's
 * item embeddings.
 *
 * <p><b>Failures.</b> A store that fails or returns corrupt bytes is logged (without personal
 * data) and counted in {@link #stats()}; the engine keeps serving from what it has.
 */
public final class PersonaEngine implements AutoCloseable {
    /** The state slot that holds a user's recent-event log. */
    public static final String EVENTS_SLOT = "events";
    /** The state slot that holds the highest event-journal sequence number in a user's stored state. */
    public static final String JOURNAL_SLOT = "journal-seq";
    private static final Logger LOG = LoggerFactory.getLogger(PersonaEngine.class);
    /** Users written by the background writer between two rests. */
    static final int FLUSH_SLICE = WriteBehind.SLICE;
    /** Events journaled with one group commit by {@link #ingestAll}. */
    static final int INGEST_CHUNK = 1024;

    /** The serving model and the recommender built on it, swapped together. */
    private record Serving(ProfileModel model, Recommender recommender) {
    }

    private final HotSwapRef<Serving> serving;
    private final ProfileReranker defaultReranker;
    private final InMemoryCatalog catalog;
    private final UserDataStore store;
    private final Recommender fallback;
    private final SearchReranker reranker;
    private final List<Segmenter> segmenters;
    private final UnaryOperator<String> pseudonymizer;
    private final ProfileDecorator decorator;
    private final AggregateSupport aggregates;
    private final java.util.function.LongSupplier clock;
    private final UserLoader loader;
    private final boolean closeModels;
    private final boolean closeStores;
    private final Cache<String, UserEntry> cache;
    private final WriteBehind writeBehind;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final LongAdder ingested = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder late = new LongAdder();
    private final LongAdder unknownItems = new LongAdder();
    private final LongAdder cacheHits = new LongAdder();
    private final LongAdder cacheMisses = new LongAdder();
    private final LongAdder storeFailures = new LongAdder();
    private final LongAdder swaps = new LongAdder();
    private final LongAdder replayed = new LongAdder();
    private final LongAdder overloaded = new LongAdder();
    private final EventJournal journal;
    private final long maxJournalBytes;

    private PersonaEngine(Builder b, UserDataStore store) {
        this.closeModels = b.closeModels;
        this.serving = new HotSwapRef<>(new Serving(b.model, b.recommender), this::retire);
        this.catalog = b.catalog;
        this.store = store;
        this.fallback = b.fallback;
        this.reranker = b.reranker;
        this.defaultReranker = ProfileReranker.withDefaults(catalog, null);
        this.segmenters = List.copyOf(b.segmenters);
        this.pseudonymizer = b.pseudonymizer;
        this.decorator = b.decorator;
        this.aggregates = b.aggregateConfig == null ? null
                : new AggregateSupport(b.aggregateConfig, b.resolver, b.tagger, b.clock);
        this.clock = b.clock;
        this.loader = new UserLoader(store, b.historySize, aggregates, storeFailures);
        this.closeStores = b.closeStores;
        this.cache = Caffeine.newBuilder()
                .maximumSize(b.maxCachedUsers)
                .executor(Runnable::run)
                .evictionListener((String k, UserEntry e, RemovalCause cause) -> onEvicted(e))
                .build();
        this.writeBehind = new WriteBehind(cache.asMap(), this::write, storeFailures, b.flushInterval.toMillis(),
                b.flushDutyCycle, b.writeBehindTiming, b.maxWriteAttempts);
        this.maxJournalBytes = b.maxJournalBytes;
        if (b.journalDir == null) {
            this.journal = null;
        } else {
            EventJournal j;
            try {
                j = EventJournal.open(b.journalDir, b.journalDurability, b.journalSegmentBytes, new EventJournal.Sink() {
                    @Override
                    public void event(long seq, BehaviorEvent event) {
                        replay(seq, event);
                    }

                    @Override
                    public void forget(long seq, String userId) {
                        forgetNow(userId);
                    }
                });
            } catch (RuntimeException ex) {
                writeBehind.close();
                throw ex;
            }
            this.journal = j;
            long n = replayed.sum();
            if (n > 0) {
                LOG.info("event journal: {} events replayed into the engine; writing them to the store", n);
                writeBehind.flushAll();
                checkpoint(true);
            }
            writeBehind.afterRound(() -> checkpoint(false));
        }
    }

    /**
     * @param model the profile model to serve with (required)
     * @return a builder
     */
    public static Builder builder(ProfileModel model) {
        return new Builder(model);
    }

    // ------------------------------------------------------------------ ingest

    /**
     * Folds one event into its user's state (O(1) in the user's history length). With the event
     * journal, the event is journaled and folded in one step under its user's lock, and the call
     * returns (acknowledges) once the record is durable; if the journal write fails the call throws
     * and the event, not acknowledged, may already show in the user's state.
     *
     * @param event the event
     * @throws BadInputException when the event is null (counted as rejected)
     * @throws IllegalStateException after {@link #close()}
     */
    public void ingest(BehaviorEvent event) {
        checkOpen();
        if (event == null) {
            rejected.increment();
            throw new BadInputException("ingest: field 'event': must not be null");
        }
        BehaviorEvent ev = pseudonymised(event);
        noteUnknownItem(ev);
        if (journal == null) {
            apply(ev, 0L, false);
            ingested.increment();
            return;
        }
        checkBacklog();
        journal.enter();
        try {
            journal.awaitDurable(applyJournaled(ev));
        } finally {
            journal.exit();
        }
        ingested.increment();
    }

    /**
     * Counts an event whose item the catalogue lacks (a typo in a SKU, a catalogue not yet
     * updated): accepted, since profiles still learn from it, but never silent.
     */
    private void noteUnknownItem(BehaviorEvent ev) {
        if (catalog.size() > 0 && catalog.item(ev.itemId()).isEmpty()) {
            unknownItems.increment();
            long n = unknownItems.sum();
            if (n == 1 || n % 1000 == 0) {
                LOG.warn("event for item '{}' that the engine's catalogue ({} items) does not hold ({} such events so far; "
                        + "EngineStats.unknownItemEvents counts them)", Ids.truncate(ev.itemId(), 80), catalog.size(), n);
            }
        }
    }

    private BehaviorEvent pseudonymised(BehaviorEvent event) {
        String uid = pseudonym(event.userId());
        return uid.equals(event.userId()) ? event : event.withUser(uid);
    }

    /** Refuses new events while the journal holds more unstored data than its bound. */
    private void checkBacklog() {
        long held = journal.retainedBytes();
        if (held > maxJournalBytes) {
            overloaded.increment();
            throw new EngineOverloadedException("engine overloaded: the event journal holds " + held
                    + " bytes not yet covered by the store (bound " + maxJournalBytes + "); the write-behind is "
                    + writeBehind.pending() + " users behind. Retry later.");
        }
    }

    /**
     * Folds one (pseudonymised) event into its user's state inside the per-key compute and marks
     * the user pending with the event's journal sequence number.
     *
     * @param replaying whether the event comes from the journal at start (skipped when the stored
     *     state already holds it)
     */
    private void apply(BehaviorEvent ev, long seq, boolean replaying) {
        HotSwapRef.Lease<Serving> ref = serving.acquire();
        try {
            cache.asMap().compute(ev.userId(), (k, entry) -> {
                UserEntry e = cachedOrLoaded(k, entry, ref.get().model());
                if (replaying && seq <= e.journalSeq) {
                    return e; // already in the stored state
                }
                fold(k, e, ev, seq, replaying, ref);
                return e;
            });
        } finally {
            ref.release();
        }
    }

    /**
     * Journals a live event and folds it into its user's state in one step under the user's lock
     * (the caller then waits for the record to be durable before acknowledging). A user's events
     * thus take their sequence numbers in the order they are applied, so the stored
     * {@code journalSeq} (the highest applied) never covers a lower, not yet applied record of the
     * same user: were the record appended outside the lock, two threads ingesting for one user could
     * apply {@code n} before {@code n - 1}, the write-behind store {@code journalSeq = n}, and a crash
     * then lose {@code n - 1}, which replay would skip as already stored.
     *
     * @return the record's sequence number
     */
    private long applyJournaled(BehaviorEvent ev) {
        long[] seq = new long[1];
        HotSwapRef.Lease<Serving> ref = serving.acquire();
        try {
            cache.asMap().compute(ev.userId(), (k, entry) -> {
                UserEntry e = cachedOrLoaded(k, entry, ref.get().model());
                seq[0] = journal.appendEvent(ev);
                fold(k, e, ev, seq[0], false, ref);
                return e;
            });
        } finally {
            ref.release();
        }
        return seq[0];
    }

    /** Folds one event into an entry (inside its user's compute) and marks the user pending. */
    private void fold(String k, UserEntry e, BehaviorEvent ev, long seq, boolean replaying, HotSwapRef.Lease<Serving> ref) {
        if (!replaying && e.totalEvents() > 0 && !e.recentView().isEmpty()
                && ev.timestampMillis() < e.recentView().peekLast().timestampMillis()) {
            late.increment();
        }
        e.append(ev, ref.get().model());
        if (aggregates != null) {
            aggregates.update(e.aggregates, ev);
        }
        if (seq > 0) {
            e.journalSeq = Math.max(e.journalSeq, seq);
        }
        if (replaying) {
            replayed.increment();
        }
        writeBehind.markDirty(k, seq);
    }

    private void replay(long seq, BehaviorEvent event) {
        apply(event, seq, true);
    }

    /**
     * Drops the journal's segments that the store now covers: every record below the lowest
     * sequence number still pending. The store's writes are made durable first.
     *
     * @param all whether the current segment may go too (flush and close)
     */
    private void checkpoint(boolean all) {
        if (journal == null) {
            return;
        }
        long watermark = Math.min(journal.quiescentNextSeq(), writeBehind.minPendingSeq());
        if (!all && !journal.hasClosedBelow(watermark)) {
            return;
        }
        try {
            store.sync();
        } catch (RuntimeException ex) {
            storeFailures.increment();
            LOG.error("store sync failed; the event journal is kept: {}", ex.toString());
            return;
        }
        journal.truncateBelow(watermark, all);
    }

    /**
     * Ingests events in order; a null element is rejected and counted, the others are applied.
     *
     * @param events the events
     * @return how many were applied
     */
    public long ingestAll(Iterable<BehaviorEvent> events) {
        Objects.requireNonNull(events, "events");
        if (journal == null) {
            long n = 0;
            for (BehaviorEvent e : events) {
                if (e == null) {
                    rejected.increment();
                    continue;
                }
                ingest(e);
                n++;
            }
            return n;
        }
        checkOpen();
        // journaled in chunks: one group commit per chunk, then applied in order
        long n = 0;
        List<BehaviorEvent> chunk = new ArrayList<>(INGEST_CHUNK);
        for (BehaviorEvent e : events) {
            if (e == null) {
                rejected.increment();
                continue;
            }
            chunk.add(pseudonymised(e));
            noteUnknownItem(e);
            if (chunk.size() == INGEST_CHUNK) {
                n += ingestChunk(chunk);
                chunk.clear();
            }
        }
        if (!chunk.isEmpty()) {
            n += ingestChunk(chunk);
        }
        return n;
    }

    private int ingestChunk(List<BehaviorEvent> chunk) {
        checkBacklog();
        journal.enter();
        try {
            long last = 0;
            for (BehaviorEvent e : chunk) {
                last = applyJournaled(e);
            }
            journal.awaitDurable(last);
        } finally {
            journal.exit();
        }
        ingested.add(chunk.size());
        return chunk.size();
    }

    // ------------------------------------------------------------------ read

    /**
     * @param userId the user (the host's id; pseudonymised here when configured)
     * @return the user's profile as of now (the engine's clock: time-aware propensities such as the
     *     churn risk count the quiet time since the last event), plus decorations and segment
     *     memberships; the cold-start profile for a user the engine has never seen
     */
    public UserProfile profile(String userId) {
        checkOpen();
        String uid = pseudonym(requireUser(userId));
        HotSwapRef.Lease<Serving> ref = serving.acquire();
        try {
            return view(uid, ref, true).profile;
        } finally {
            ref.release();
        }
    }

    /**
     * @param userId the user
     * @return the user's retained recent events, oldest first (empty for unknown users)
     */
    public List<BehaviorEvent> recentEvents(String userId) {
        checkOpen();
        String uid = pseudonym(requireUser(userId));
        HotSwapRef.Lease<Serving> ref = serving.acquire();
        try {
            return view(uid, ref).history;
        } finally {
            ref.release();
        }
    }

    /**
     * @param userId the user
     * @return the user's aggregates over the whole history (RFM, affinities, price band, funnel,
     *     hours), empty for unknown users or when the engine has no aggregates configured
     */
    public Optional<AggregateSnapshot> aggregates(String userId) {
        checkOpen();
        if (aggregates == null) {
            return Optional.empty();
        }
        String uid = pseudonym(requireUser(userId));
        if (cache.getIfPresent(uid) == null && !loader.isStored(uid)) {
            return Optional.empty();
        }
        HotSwapRef.Lease<Serving> ref = serving.acquire();
        try {
            AggregateSnapshot[] out = new AggregateSnapshot[1];
            cache.asMap().compute(uid, (k, entry) -> {
                UserEntry e = cachedOrLoaded(k, entry, ref.get().model());
                out[0] = aggregates.snapshot(e.aggregates);
                return e;
            });
            return Optional.of(out[0]);
        } finally {
            ref.release();
        }
    }

    /**
     * @param userId the user
     * @return the user's segment in each configured segmenter, by segmenter name
     */
    public Map<String, Segment> segmentsOf(String userId) {
        UserProfile p = profile(userId);
        Map<String, Segment> out = new LinkedHashMap<>();
        for (Segmenter s : segmenters) {
            String id = p.segments().get(s.name());
            if (id != null) {
                s.segments().stream().filter(seg -> seg.id().equals(id)).findFirst().ifPresent(seg -> out.put(s.name(), seg));
            }
        }
        return out;
    }

    /**
     * Recommends for the request's user with the engine's knowledge added to the request: the
     * user's recent events (unless the request brings its own history) and profile. When the main
     * recommender returns fewer than k items, the fallback (if any) fills the rest.
     *
     * @param request what to recommend
     * @return at most k recommendations, best first, each with reasons
     */
    public List<Recommendation> recommend(RecommendationRequest request) {
        checkOpen();
        if (request == null) {
            throw new BadInputException("recommend: field 'request': must not be null");
        }
        HotSwapRef.Lease<Serving> ref = serving.acquire();
        try {
            RecommendationRequest r = enrich(request, ref);
            List<Recommendation> recs = safeRecommend(ref.get().recommender(), r);
            if (recs.size() >= r.k() || fallback == null) {
                return recs;
            }
            Set<String> have = new HashSet<>();
            List<Recommendation> out = new ArrayList<>(recs);
            recs.forEach(x -> have.add(x.itemId()));
            Set<String> exclude = new HashSet<>(r.excludeItems());
            exclude.addAll(have);
            for (Recommendation x : safeRecommend(fallback, r.toBuilder().excludeItems(exclude).build())) {
                if (out.size() >= r.k()) {
                    break;
                }
                if (have.add(x.itemId())) {
                    out.add(x);
                }
            }
            return out;
        } finally {
            ref.release();
        }
    }

    /**
     * Re-orders a search engine's candidates for the user. Every candidate comes back exactly once.
     *
     * @param userId the user, or null for an anonymous visitor
     * @param query the query, possibly empty
     * @param candidates the search engine's result ids in its order
     * @return the candidates re-ordered with reasons
     */
    public List<Recommendation> rerank(String userId, String query, List<String> candidates) {
        checkOpen();
        if (candidates == null) {
            throw new BadInputException("rerank: field 'candidates': must not be null");
        }
        HotSwapRef.Lease<Serving> ref = serving.acquire();
        try {
            UserView v = userId == null ? coldView("anonymous", ref) : view(pseudonym(requireUser(userId)), ref);
            String q = query == null ? "" : query;
            List<String> c = List.copyOf(candidates);
            return reranker != null ? reranker.rerank(v.profile, v.history, q, c)
                    : defaultReranker.rerank(v.profile, v.history, q, c, ItemSimilarity.ofEmbeddings(ref.get().model()));
        } finally {
            ref.release();
        }
    }

    /**
     * Explains how an item relates to a user: the profile match, the most similar item in the
     * user's recent history, and interests the item's categories match.
     *
     * @param userId the user
     * @param itemId the item
     * @return the item with a score (the profile match; 0 when unknown) and its reasons
     */
    public Recommendation explain(String userId, String itemId) {
        checkOpen();
        if (itemId == null || itemId.isBlank()) {
            throw new BadInputException("explain: field 'itemId': must not be blank");
        }
        HotSwapRef.Lease<Serving> ref = serving.acquire();
        try {
            UserView v = view(pseudonym(requireUser(userId)), ref);
            return Explainer.explain(ref.get().model(), catalog, v.profile, v.history, itemId);
        } finally {
            ref.release();
        }
    }

    // ------------------------------------------------------------------ write

    /**
     * Removes every trace of the user: the live state, the recent-event log and the stored profile.
     * With the event journal, the forget is journaled first (so a replay after a crash forgets the
     * user again) and the journal segment holding the user's earlier events is closed; it is
     * deleted at the next write-behind round that leaves nothing below it unstored. Erasure from
     * the store's own files is the store's part (RocksDB compacts the deleted keys away).
     *
     * @param userId the user
     * @return true when the engine held anything for the user
     */
    public boolean forget(String userId) {
        checkOpen();
        String uid = pseudonym(requireUser(userId));
        if (journal == null) {
            return forgetNow(uid);
        }
        journal.enter();
        try {
            journal.awaitDurable(journal.appendForget(uid));
            boolean had = forgetNow(uid);
            // the segment holding the user's journaled events closes now and is deleted with the
            // next truncation (once the store covers it), not when it would have filled
            journal.rollNow();
            return had;
        } finally {
            journal.exit();
        }
    }

    private boolean forgetNow(String uid) {
        AtomicBoolean had = new AtomicBoolean();
        cache.asMap().compute(uid, (k, e) -> {
            had.set(e != null);
            writeBehind.discard(k);
            // deleting inside the per-key compute orders it after any write of this user
            had.set(store.delete(k) | had.get());
            return null;
        });
        return had.get();
    }

    /**
     * Adds or replaces a catalogue item at run time. Until the next training the item is served by
     * the content and popularity paths of the configured recommenders.
     *
     * @param item the item
     */
    public void addItem(Item item) {
        checkOpen();
        if (item == null) {
            throw new BadInputException("addItem: field 'item': must not be null");
        }
        catalog.put(item);
    }

    /** @return the engine's catalogue (live: includes items added at run time) */
    public InMemoryCatalog catalog() {
        return catalog;
    }

    /**
     * Replaces the serving model. Calls in flight finish on the old model; it is closed when the
     * last of them returns (when the engine owns models, the default).
     *
     * @param next the new model
     */
    public void swapModel(ProfileModel next) {
        swapModel(next, serving.peek().recommender());
    }

    /**
     * Replaces the serving model together with the recommender built on it (for example an
     * embedding retrieval over the new model's items). Calls in flight finish on the old pair; the
     * old model — and the old recommender when it is {@link AutoCloseable} and differs from the new
     * one — are closed when the last of them returns (when the engine owns models, the default).
     *
     * @param next the new model
     * @param recommender the main recommender to serve with it, or null for none
     */
    public void swapModel(ProfileModel next, Recommender recommender) {
        checkOpen();
        if (next == null) {
            throw new BadInputException("swapModel: field 'model': must not be null");
        }
        Serving old = serving.swap(new Serving(next, recommender));
        swaps.increment();
        LOG.info("profile model swapped: {} -> {}", old.model().version(), next.version());
    }

    /** @return the version of the model serving now */
    public String modelVersion() {
        return serving.peek().model().version();
    }

    /** Writes every pending change to the stores now. */
    public void flush() {
        checkOpen();
        writeBehind.flushAll();
        checkpoint(true);
    }

    /** @return the engine's counters */
    public EngineStats stats() {
        return new EngineStats(ingested.sum(), rejected.sum(), late.sum(), cache.estimatedSize(), writeBehind.pending(),
                storeFailures.sum(), swaps.sum(), serving.peek().model().version(), writeBehind.usersWritten(),
                writeBehind.writeMillis(), writeBehind.quarantined(), journal == null ? 0 : journal.retainedBytes(),
                replayed.sum(), overloaded.sum(), journal == null ? 0 : journal.commits(), unknownItems.sum(),
                cacheHits.sum(), cacheMisses.sum());
    }

    /** Flushes pending changes, stops the writer, closes the model and (when owned) the stores. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        writeBehind.close();
        if (journal != null) {
            try {
                checkpoint(true);
            } catch (RuntimeException ex) {
                LOG.error("event journal: final checkpoint failed (the journal is kept and replayed on start): {}", ex.toString());
            }
            journal.close();
        }
        serving.close();
        if (closeStores) {
            store.close();
        }
    }

    // ------------------------------------------------------------------ internals

    private record UserView(UserProfile profile, List<BehaviorEvent> history) {
    }

    /** The cached entry (a hit) or the one the loader builds from the stores or afresh (a miss). */
    private UserEntry cachedOrLoaded(String uid, UserEntry entry, ProfileModel model) {
        if (entry != null) {
            cacheHits.increment();
            return entry;
        }
        cacheMisses.increment();
        return loader.load(uid, model);
    }

    private UserView view(String uid, HotSwapRef.Lease<Serving> ref) {
        return view(uid, ref, false);
    }

    /**
     * @param now whether the profile is built as of the clock (not cached: it changes with time) or
     *     as of the user's last event (cached until the next event; what recommenders read)
     */
    private UserView view(String uid, HotSwapRef.Lease<Serving> ref, boolean now) {
        UserEntry cached = cache.getIfPresent(uid);
        if (cached == null) {
            if (!loader.isStored(uid)) {
                cacheMisses.increment();
                return coldView(uid, ref);
            }
        } else if (!now) {
            // no lock when the profile is current: what the last build published (ingest clears it)
            UserEntry.Published pub = cached.published();
            if (pub != null && pub.model() == ref.get().model()) {
                return new UserView(pub.profile(), pub.history());
            }
        }
        UserView[] out = new UserView[1];
        cache.asMap().compute(uid, (k, entry) -> {
            UserEntry e = cachedOrLoaded(k, entry, ref.get().model());
            if (now && e.totalEvents() > 0) {
                out[0] = new UserView(profileAt(e, ref.get().model(), clock.getAsLong()), e.recentEvents());
            } else {
                decoratedProfile(e, ref.get().model());
                // what decoratedProfile cached, with the recent events it copied: no second copy
                UserEntry.Published pub = e.published();
                out[0] = new UserView(pub.profile(), pub.history());
            }
            return e;
        });
        return out[0];
    }

    private UserView coldView(String uid, HotSwapRef.Lease<Serving> ref) {
        ProfileModel m = ref.get().model();
        UserProfile p = m.profile(m.newState(uid));
        return new UserView(decorate(p, List.of()), List.of());
    }

    /** The profile as of {@code nowMillis}, decorated like the cached one, not cached. */
    private UserProfile profileAt(UserEntry e, ProfileModel m, long nowMillis) {
        return decorated(e, e.profileAt(m, nowMillis));
    }

    /**
     * The decorated profile of the entry's current state, built once per change of the user (an
     * event, a new model) and then reused: reads do not rebuild it, and the decorations are applied
     * to the model's own profile only, never on top of an already decorated one.
     */
    private UserProfile decoratedProfile(UserEntry e, ProfileModel m) {
        UserProfile cached = e.decorated(m);
        if (cached != null) {
            return cached;
        }
        UserProfile p = decorated(e, e.profile(m));
        e.cacheProfile(p, m);
        return p;
    }

    private UserProfile decorated(UserEntry e, UserProfile model) {
        UserProfile base = model;
        if (base.eventCount() != e.totalEvents()) {
            base = new UserProfile(base.userId(), base.embedding(), base.longTermEmbedding(), base.interests(),
                    base.propensities(), base.features(), base.tags(), base.segments(), e.totalEvents(), base.updatedAt(),
                    base.modelVersion());
        }
        if (aggregates != null && e.aggregates != null) {
            base = aggregates.decorate(base, e.aggregates);
        }
        // the recent events are copied only for a decorator (the write-behind builds a profile per written user)
        return decorate(base, decorator == null || e.recentView().isEmpty() ? List.of() : e.recentEvents());
    }

    private UserProfile decorate(UserProfile p, List<BehaviorEvent> recent) {
        UserProfile out = decorator == null ? p : decorator.decorate(p, recent);
        for (Segmenter s : segmenters) {
            if (out.segments().containsKey(s.name())) {
                continue;
            }
            try {
                out = out.withSegment(s.name(), s.assign(out).id());
            } catch (BadInputException ex) {
                // a cold-start profile may lack what a segmenter needs: no membership for it
                LOG.debug("segmenter {} cannot place a profile: {}", s.name(), ex.getMessage());
            }
        }
        return out;
    }

    /** An evicted user with unwritten changes is written now (the eviction holds its key). */
    private void onEvicted(UserEntry e) {
        if (e != null && e.dirty()) {
            writeBehind.persist(e);
        }
    }

    /**
     * Writes one user's profile and state slots in one atomic store write; called by the
     * write-behind inside the user's per-key compute (or the eviction, which holds it).
     */
    private void write(UserEntry e) {
        HotSwapRef.Lease<Serving> ref = serving.acquire();
        try {
            byte[] log = EventLogCodec.encode(e.recentView(), e.totalEvents());
            Map<String, byte[]> slots = new HashMap<>(4);
            slots.put(EVENTS_SLOT, log);
            if (aggregates != null && e.aggregates != null) {
                slots.put(AggregateSupport.SLOT, aggregates.encode(e.aggregates));
            }
            if (e.journalSeq >= 0) {
                slots.put(JOURNAL_SLOT, java.nio.ByteBuffer.allocate(Long.BYTES).putLong(e.journalSeq).array());
            }
            store.save(decoratedProfile(e, ref.get().model()), slots);
        } finally {
            ref.release();
        }
    }

    /** Closes a replaced (or, on close, the final) model and recommender once no call uses them. */
    private void retire(Serving old, Serving next) {
        if (!closeModels) {
            return;
        }
        if (old.recommender() instanceof AutoCloseable c && (next == null || next.recommender() != old.recommender())) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("closing a retired recommender failed: {}", e.toString());
            }
        }
        if (next == null || next.model() != old.model()) {
            old.model().close();
        }
    }

    private RecommendationRequest enrich(RecommendationRequest request, HotSwapRef.Lease<Serving> ref) {
        Optional<String> user = request.userId();
        if (user.isEmpty()) {
            return request;
        }
        String uid = pseudonym(requireUser(user.get()));
        UserView v = view(uid, ref);
        RecommendationRequest.Builder b = request.toBuilder().user(uid);
        if (request.history().isEmpty()) {
            b.history(v.history);
        }
        if (request.profile().isEmpty()) {
            b.profile(v.profile);
        }
        return b.build();
    }

    private List<Recommendation> safeRecommend(Recommender r, RecommendationRequest req) {
        if (r == null) {
            return List.of();
        }
        return r.recommend(req);
    }

    private String pseudonym(String userId) {
        return pseudonymizer == null ? userId : pseudonymizer.apply(userId);
    }

    private static String requireUser(String userId) {
        if (userId == null || userId.isBlank()) {
            throw new BadInputException("field 'userId': must not be blank, was " + (userId == null ? "null" : "'" + userId + "'"));
        }
        return org.persona4j.core.Ids.requireLength("userId", userId);
    }

    /** @return false once {@link #close()} has begun; every call but this one then throws */
    public boolean isOpen() {
        return !closed.get();
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException("the engine is closed");
        }
    }

    /** Builder for {@link PersonaEngine}; not thread-safe. */
    public static final class Builder {
        private final ProfileModel model;
        private InMemoryCatalog catalog = new InMemoryCatalog();
        private UserDataStore store;
        private Recommender recommender;
        private Recommender fallback;
        private SearchReranker reranker;
        private final List<Segmenter> segmenters = new ArrayList<>();
        private UnaryOperator<String> pseudonymizer;
        private ProfileDecorator decorator;
        private AggregateConfig aggregateConfig;
        private ItemResolver resolver;
        private ProfileTagger tagger;
        private java.util.function.LongSupplier clock = System::currentTimeMillis;
        private int historySize = 50;
        private long maxCachedUsers = 100_000;
        private Duration flushInterval = Duration.ofMillis(500);
        private double flushDutyCycle = 0.25;
        private int maxWriteAttempts = WriteBehind.DEFAULT_MAX_ATTEMPTS;
        private boolean closeModels = true;
        private boolean closeStores = true;
        private WriteBehind.Timing writeBehindTiming = WriteBehind.SYSTEM;
        private java.nio.file.Path journalDir;
        private JournalDurability journalDurability = JournalDurability.SYNC;
        private long maxJournalBytes = 512L << 20;
        private long journalSegmentBytes = EventJournal.DEFAULT_SEGMENT_BYTES;

        private Builder(ProfileModel model) {
            if (model == null) {
                throw new BadInputException("engine: field 'model': must not be null");
            }
            this.model = model;
        }

        /** @param v the live catalogue (default: empty) @return this */
        public Builder catalog(InMemoryCatalog v) {
            this.catalog = Objects.requireNonNull(v, "catalog");
            return this;
        }

        /**
         * @param v where profiles and recent-event logs are written: RocksDB (embedded, durable),
         *     Redis (shared by several instances) or in memory (the default)
         * @return this
         */
        public Builder store(UserDataStore v) {
            this.store = Objects.requireNonNull(v, "store");
            return this;
        }

        /** @param v the main recommender @return this */
        public Builder recommender(Recommender v) {
            this.recommender = Objects.requireNonNull(v, "recommender");
            return this;
        }

        /** @param v fills lists the main recommender leaves short (cold start), e.g. popularity @return this */
        public Builder fallback(Recommender v) {
            this.fallback = Objects.requireNonNull(v, "fallback");
            return this;
        }

        /**
         * @param v the search re-ranker (default: a {@link ProfileReranker} with weights 1, 1, 1 whose
         *     history term is the cosine of the serving model's item embeddings)
         * @return this
         */
        public Builder reranker(SearchReranker v) {
            this.reranker = Objects.requireNonNull(v, "reranker");
            return this;
        }

        /** @param v a segmenter whose membership every profile carries @return this */
        public Builder segmenter(Segmenter v) {
            this.segmenters.add(Objects.requireNonNull(v, "segmenter"));
            return this;
        }

        /** @param v maps host user ids to pseudonyms at the boundary (e.g. a keyed hash) @return this */
        public Builder pseudonymizer(UnaryOperator<String> v) {
            this.pseudonymizer = Objects.requireNonNull(v, "pseudonymizer");
            return this;
        }

        /** @param v adds features and tags to profiles @return this */
        public Builder decorator(ProfileDecorator v) {
            this.decorator = Objects.requireNonNull(v, "decorator");
            return this;
        }

        /**
         * Keeps lib-features' per-user aggregates (RFM, decayed category and brand affinity, price
         * band, funnel, hours) over each user's whole history, stored with the profile; profiles then
         * carry their figures as features and, with a tagger, their tags.
         *
         * @param config the aggregate settings
         * @param resolver resolves items to categories, brands and price percentiles (built on the
         *     engine's catalogue so that items added at run time resolve)
         * @param profileTagger derives tags from the aggregates, or null for none
         * @return this
         */
        public Builder aggregates(AggregateConfig config, ItemResolver resolver, ProfileTagger profileTagger) {
            this.aggregateConfig = Objects.requireNonNull(config, "config");
            this.resolver = Objects.requireNonNull(resolver, "resolver");
            this.tagger = profileTagger;
            return this;
        }

        /** @param v the time source for recency (epoch milliseconds; default the system clock) @return this */
        public Builder clock(java.util.function.LongSupplier v) {
            this.clock = Objects.requireNonNull(v, "clock");
            return this;
        }

        /** @param v recent events kept per user, >= 1 (default 50) @return this */
        public Builder historySize(int v) {
            if (v < 1) {
                throw new BadInputException("engine: field 'historySize': expected >= 1, was " + v);
            }
            this.historySize = v;
            return this;
        }

        /** @param v users whose live state stays in memory, >= 1 (default 100,000) @return this */
        public Builder maxCachedUsers(long v) {
            if (v < 1) {
                throw new BadInputException("engine: field 'maxCachedUsers': expected >= 1, was " + v);
            }
            this.maxCachedUsers = v;
            return this;
        }

        /** @param v how often changes are written behind; zero: only on flush, eviction and close @return this */
        public Builder flushInterval(Duration v) {
            if (v == null || v.isNegative()) {
                throw new BadInputException("engine: field 'flushInterval': expected >= 0, was " + v);
            }
            this.flushInterval = v;
            return this;
        }

        /**
         * @param v the largest share of its wall time the background writer spends writing, in
         *     (0, 1] (default 0.25): it rests between slices of users; 1 writes each round in one
         *     burst
         * @return this
         */
        public Builder flushDutyCycle(double v) {
            if (!(v > 0 && v <= 1)) {
                throw new BadInputException("engine: field 'flushDutyCycle': expected a share in (0, 1], was " + v);
            }
            this.flushDutyCycle = v;
            return this;
        }

        /**
         * @param v how many failed writes in a row of the same user the write-behind retries before
         *     it gives up on that write (quarantine: dropped, counted in
         *     {@link EngineStats#quarantinedWrites()}, logged once at WARN), >= 1 (default
         *     5); a permanent error
         *     ({@link org.persona4j.core.BadInputException}, a
         *     {@linkplain org.persona4j.store.StoreException#permanent() permanent} store error) is
         *     given up on at once
         * @return this
         */
        public Builder maxWriteAttempts(int v) {
            if (v < 1) {
                throw new BadInputException("engine: field 'maxWriteAttempts': expected >= 1, was " + v);
            }
            this.maxWriteAttempts = v;
            return this;
        }

        /**
         * Turns on the write-ahead event journal in folder {@code v} (created if missing; one engine
         * per folder). Every accepted event and every {@link PersonaEngine#forget} is written there
         * — with {@link JournalDurability#SYNC} (the default) fsynced — before the call returns, so
         * an acknowledged event survives {@code kill -9} (and, with SYNC, a power cut) even when
         * the write-behind had not stored it yet; on start the engine replays what the store does
         * not hold. Without a journal (the default) changes reach the store only through the
         * write-behind and the last {@code flushInterval} of them can be lost on a crash.
         *
         * @param v the journal's folder
         * @return this
         */
        public Builder journal(java.nio.file.Path v) {
            this.journalDir = Objects.requireNonNull(v, "journal");
            return this;
        }

        /** @param v what the journal guarantees when {@code ingest} returns (default SYNC) @return this */
        public Builder journalDurability(JournalDurability v) {
            this.journalDurability = Objects.requireNonNull(v, "journalDurability");
            return this;
        }

        /**
         * @param v bytes the journal may hold before {@code ingest} is refused with
         *     {@link EngineOverloadedException} (backpressure while the write-behind catches up),
         *     >= 1 MiB (default 512 MiB)
         * @return this
         */
        public Builder maxJournalBytes(long v) {
            if (v < (1L << 20)) {
                throw new BadInputException("engine: field 'maxJournalBytes': expected >= 1048576, was " + v);
            }
            this.maxJournalBytes = v;
            return this;
        }

        /** Segment size of the journal (tests use small segments). */
        Builder journalSegmentBytes(long v) {
            this.journalSegmentBytes = v;
            return this;
        }

        /** @param v whether retired and final models are closed by the engine (default true) @return this */
        public Builder closeModels(boolean v) {
            this.closeModels = v;
            return this;
        }

        /** @param v whether {@link PersonaEngine#close()} closes the stores (default true) @return this */
        public Builder closeStores(boolean v) {
            this.closeStores = v;
            return this;
        }

        /**
         * The write-behind's clock, rests and background thread (default: the system's); tests
         * replace it to run background rounds and advance time by hand.
         */
        Builder writeBehindTiming(WriteBehind.Timing v) {
            this.writeBehindTiming = Objects.requireNonNull(v, "writeBehindTiming");
            return this;
        }

        /**
         * Builds an engine. The builder can build again: each engine built without an explicit
         * {@link #store} gets its own new in-memory store.
         *
         * @return the engine
         */
        public PersonaEngine build() {
            if (recommender == null && fallback == null) {
                LOG.warn("PersonaEngine built without a recommender and without a fallback: recommend() will return "
                        + "empty lists (set .recommender(...) and/or .fallback(...), e.g. PopularityRecommender.global(events, catalog))");
            }
            return new PersonaEngine(this, store != null ? store : new InMemoryProfileStore());
        }
    }
}
