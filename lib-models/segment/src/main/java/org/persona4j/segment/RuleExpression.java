package org.persona4j.segment;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.persona4j.core.BadInputException;
import org.persona4j.core.UserProfile;

/**
 * A parsed rule condition over profile fields. Grammar (keywords case-insensitive):
 * <pre>
 * expr       := and ( "or" and )*
 * and        := unary ( "and" unary )*
 * unary      := "not" unary | "(" expr ")" | comparison
 * comparison := field op number          op: &gt; &gt;= &lt; &lt;= == !=
 * field      := "propensity." name | "interest." name | "feature." name | "events"
 * name       := letters, digits, _ - : / | a double-quoted string ("Skin care")
 * </pre>
 * Values: {@code propensity.x} from {@link UserProfile#propensities()} (absent: error),
 * {@code interest.x} from {@link UserProfile#interests()} (absent: 0, interests are sparse),
 * {@code feature.x} from {@link UserProfile#features()} (absent: error), {@code events} =
 * {@link UserProfile#eventCount()}. Immutable and thread-safe.
 */
public final class RuleExpression {
    private final String text;
    private final Node root;
    private final List<String> fields;

    private RuleExpression(String text, Node root, List<String> fields) {
        this.text = text;
        this.root = root;
        this.fields = List.copyOf(fields);
    }

    /**
     * @param ruleId the rule, for error messages
     * @param text the expression
     * @return the parsed expression
     * @throws BadInputException naming the rule, the position and what was expected
     */
    public static RuleExpression parse(String ruleId, String text) {
        if (text == null || text.isBlank()) {
            throw new BadInputException("rule '" + ruleId + "': expression: must not be blank, was " + text);
        }
        Parser p = new Parser(ruleId, text);
        Node n = p.expr();
        p.skip();
        if (p.pos < text.length()) {
            throw p.error("expected 'and', 'or' or the end");
        }
        return new RuleExpression(text, n, p.fields);
    }

    /** @return the source text */
    public String text() {
        return text;
    }

    /** @return the fields it reads ("propensity.purchase", "interest.Beauty", ...), in order of appearance */
    public List<String> fields() {
        return fields;
    }

    /**
     * @param ruleId the rule, for error messages
     * @param p the profile
     * @return whether the profile satisfies the condition
     * @throws BadInputException naming the rule, the user and the field when a value is absent or not finite
     */
    public boolean test(String ruleId, UserProfile p) {
        return root.test(ruleId, p);
    }

    /** Checks fields against known names (an empty set means "any name"). */
    void validate(String ruleId, Set<String> propensities, Set<String> interests, Set<String> features) {
        for (String f : fields) {
            int dot = f.indexOf('.');
            if (dot < 0) {
                continue;
            }
            String kind = f.substring(0, dot);
            String name = f.substring(dot + 1);
            Set<String> known = kind.equals("propensity") ? propensities : kind.equals("interest") ? interests : features;
            if (!known.isEmpty() && !known.contains(name)) {
                throw new BadInputException("rule '" + ruleId + "': field '" + f + "': unknown " + kind + " name '" + name
                        + "', expected one of " + new java.util.TreeSet<>(known));
            }
        }
    }

    @Override
    public String toString() {
        return text;
    }

    private interface Node {
        boolean test(String rule, UserProfile p);
    }

    private static final class Parser {
        final String rule;
        final String s;
        int pos;
        final List<String> fields = new ArrayList<>();

        Parser(String rule, String s) {
            this.rule = rule;
            this.s = s;
        }

        BadInputException error(String expected) {
            return new BadInputException("rule '" + rule + "': expression \"" + s + "\" at position " + (pos + 1) + ": "
                    + expected + (pos < s.length() ? ", found \"" + s.substring(pos, Math.min(s.length(), pos + 12)) + "\""
                    : ", found the end"));
        }

        void skip() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        boolean keyword(String k) {
            skip();
            int end = pos + k.length();
            if (end <= s.length() && s.regionMatches(true, pos, k, 0, k.length())
                    && (end == s.length() || !isNameChar(s.charAt(end)))) {
                pos = end;
                return true;
            }
            return false;
        }

        static boolean isNameChar(char c) {
            return Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == ':' || c == '/';
        }

        Node expr() {
            Node left = and();
            while (keyword("or")) {
                Node l = left;
                Node r = and();
                left = (rl, p) -> l.test(rl, p) || r.test(rl, p);
            }
            return left;
        }

        Node and() {
            Node left = unary();
            while (keyword("and")) {
                Node l = left;
                Node r = unary();
                left = (rl, p) -> l.test(rl, p) && r.test(rl, p);
            }
            return left;
        }

        Node unary() {
            if (keyword("not")) {
                Node n = unary();
                return (rl, p) -> !n.test(rl, p);
            }
            skip();
            if (pos < s.length() && s.charAt(pos) == '(') {
                pos++;
                Node n = expr();
                skip();
                if (pos >= s.length() || s.charAt(pos) != ')') {
                    throw error("expected ')'");
                }
                pos++;
                return n;
            }
            return comparison();
        }

        Node comparison() {
            skip();
            String field = field();
            skip();
            String op = null;
            for (String o : new String[] {">=", "<=", "==", "!=", ">", "<"}) {
                if (s.startsWith(o, pos)) {
                    op = o;
                    break;
                }
            }
            if (op == null) {
                throw error("expected a comparison (>, >=, <, <=, ==, !=) after '" + field + "'");
            }
            pos += op.length();
            skip();
            int start = pos;
            while (pos < s.length() && (Character.isDigit(s.charAt(pos)) || "+-.eE".indexOf(s.charAt(pos)) >= 0)) {
                pos++;
            }
            double v;
            try {
                v = Double.parseDouble(s.substring(start, pos));
            } catch (NumberFormatException e) {
                pos = start;
                throw error("expected a number after '" + field + " " + op + "'");
            }
            if (!Double.isFinite(v)) {
                pos = start;
                throw error("expected a finite number");
            }
            if (field.startsWith("propensity.") && (v < 0 || v > 1)) {
                throw new BadInputException("rule '" + rule + "': field '" + field + "': threshold " + v
                        + " outside [0, 1], where propensities lie");
            }
            fields.add(field);
            String o = op;
            return (rl, p) -> {
                double x = value(rl, field, p);
                switch (o) {
                    case ">": return x > v;
                    case ">=": return x >= v;
                    case "<": return x < v;
                    case "<=": return x <= v;
                    case "==": return x == v;
                    default: return x != v;
                }
            };
        }

        String field() {
            int start = pos;
            while (pos < s.length() && (isNameChar(s.charAt(pos)))) {
                pos++;
            }
            String kind = s.substring(start, pos).toLowerCase(Locale.ROOT);
            if (kind.equals("events")) {
                return "events";
            }
            if (kind.equals("features")) {
                kind = "feature";
            } else if (kind.equals("propensities")) {
                kind = "propensity";
            } else if (kind.equals("interests")) {
                kind = "interest";
            }
            if (!kind.equals("propensity") && !kind.equals("interest") && !kind.equals("feature")) {
                pos = start;
                throw error("expected a field: propensity.<name>, interest.<name>, feature.<name> or events");
            }
            if (pos >= s.length() || s.charAt(pos) != '.') {
                throw error("expected '.' and a name after '" + kind + "'");
            }
            pos++;
            String name;
            if (pos < s.length() && s.charAt(pos) == '"') {
                int end = s.indexOf('"', pos + 1);
                if (end < 0) {
                    throw error("expected a closing '\"'");
                }
                name = s.substring(pos + 1, end);
                pos = end + 1;
            } else {
                int ns = pos;
                while (pos < s.length() && isNameChar(s.charAt(pos))) {
                    pos++;
                }
                name = s.substring(ns, pos);
            }
            if (name.isBlank()) {
                throw error("expected a name after '" + kind + ".'");
            }
            return kind + "." + name;
        }
    }

    static double value(String rule, String field, UserProfile p) {
        if (field.equals("events")) {
            return p.eventCount();
        }
        int dot = field.indexOf('.');
        String kind = field.substring(0, dot);
        String name = field.substring(dot + 1);
        Double v;
        if (kind.equals("interest")) {
            v = p.interests().getOrDefault(name, 0.0);
        } else if (kind.equals("propensity")) {
            v = p.propensities().get(name);
        } else {
            v = p.features().get(name);
        }
        if (v == null) {
            throw new BadInputException("rule '" + rule + "': profile " + p.userId() + ": field '" + field
                    + "': required by the rule, was absent");
        }
        if (!Double.isFinite(v)) {
            throw new BadInputException("rule '" + rule + "': profile " + p.userId() + ": field '" + field
                    + "': expected a finite number, was " + v);
        }
        return v;
    }
}
