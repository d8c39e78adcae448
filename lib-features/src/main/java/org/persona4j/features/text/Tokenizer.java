package org.persona4j.features.text;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Splits text into tokens: runs of letters and digits in alphabetic scripts become lower-case
 * words (NFKC-normalised, accents kept, apostrophes dropped), and runs of CJK characters (Han,
 * Hiragana, Katakana, Hangul) become overlapping character bigrams ("口红推荐" → "口红", "红推",
 * "推荐"; a single CJK character stays a unigram). Words shorter than {@code minWordLength} and
 * stop words are dropped. Immutable and thread-safe.
 *
 * @param minWordLength the shortest alphabetic word kept, {@code >= 1}
 * @param stopWords lower-case words to drop
 */
public record Tokenizer(int minWordLength, Set<String> stopWords) {
    private static final Set<String> ENGLISH = Set.of("a", "an", "and", "are", "as", "at", "be", "by", "for", "from",
            "in", "is", "it", "of", "on", "or", "the", "to", "with", "this", "that", "was", "i", "my", "me", "you");

    /** Validates and copies. */
    public Tokenizer {
        if (minWordLength < 1) {
            throw new org.persona4j.core.BadInputException("tokenizer: 'minWordLength' must be >= 1, was " + minWordLength);
        }
        stopWords = stopWords == null ? Set.of() : Set.copyOf(stopWords);
    }

    /** @return words of at least 2 letters, a short English stop-word list */
    public static Tokenizer standard() {
        return new Tokenizer(2, ENGLISH);
    }

    /**
     * @param cp a code point
     * @return whether it belongs to a script tokenised as character bigrams
     */
    public static boolean isCjk(int cp) {
        Character.UnicodeScript s = Character.UnicodeScript.of(cp);
        return s == Character.UnicodeScript.HAN || s == Character.UnicodeScript.HIRAGANA
                || s == Character.UnicodeScript.KATAKANA || s == Character.UnicodeScript.HANGUL;
    }

    /**
     * @param text the text, null gives no tokens
     * @return the tokens in text order
     */
    public List<String> tokenize(String text) {
        List<String> out = new ArrayList<>();
        if (text == null || text.isEmpty()) {
            return out;
        }
        String s = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        StringBuilder word = new StringBuilder();
        List<Integer> cjk = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (isCjk(cp)) {
                flushWord(word, out);
                cjk.add(cp);
            } else if (Character.isLetterOrDigit(cp)) {
                flushCjk(cjk, out);
                word.appendCodePoint(cp);
            } else if ((cp == '\'' || cp == '\u2019') && word.length() > 0) {
                continue; // "l'oreal" -> "loreal", "don't" -> "dont"
            } else {
                flushWord(word, out);
                flushCjk(cjk, out);
            }
        }
        flushWord(word, out);
        flushCjk(cjk, out);
        return out;
    }

    private void flushWord(StringBuilder w, List<String> out) {
        if (w.length() > 0) {
            String t = w.toString();
            if (t.codePointCount(0, t.length()) >= minWordLength && !stopWords.contains(t)) {
                out.add(t);
            }
            w.setLength(0);
        }
    }

    private static void flushCjk(List<Integer> run, List<String> out) {
        if (run.size() == 1) {
            out.add(new String(Character.toChars(run.get(0))));
        } else {
            for (int k = 0; k + 1 < run.size(); k++) {
                out.add(new StringBuilder().appendCodePoint(run.get(k)).appendCodePoint(run.get(k + 1)).toString());
            }
        }
        run.clear();
    }
}
