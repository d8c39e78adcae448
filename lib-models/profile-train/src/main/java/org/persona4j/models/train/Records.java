package org.persona4j.models.train;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.Map;
import org.persona4j.core.BadInputException;

/**
 * Copies and maps of the configuration's group records through their components, so that a
 * record's fields are named once (in its header) and validated once (in its compact constructor).
 * Every copy goes through the canonical constructor, so a bad value fails there with the record's
 * own message.
 */
final class Records {
    private Records() {
    }

    /**
     * @param r a record
     * @param changes new values by component name (boxed, of the component's type)
     * @param <R> the record type
     * @return a copy of {@code r} with the changed components, validated by its constructor
     */
    static <R extends Record> R with(R r, Map<String, ?> changes) {
        RecordComponent[] cs = r.getClass().getRecordComponents();
        Object[] args = new Object[cs.length];
        Class<?>[] types = new Class<?>[cs.length];
        int used = 0;
        for (int i = 0; i < cs.length; i++) {
            types[i] = cs[i].getType();
            if (changes.containsKey(cs[i].getName())) {
                args[i] = changes.get(cs[i].getName());
                used++;
            } else {
                args[i] = get(r, cs[i]);
            }
        }
        if (used != changes.size()) {
            throw new IllegalArgumentException(r.getClass().getSimpleName() + " has no component among " + changes.keySet());
        }
        try {
            @SuppressWarnings("unchecked")
            Constructor<R> c = (Constructor<R>) r.getClass().getDeclaredConstructor(types);
            return c.newInstance(args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot copy " + r.getClass().getSimpleName(), e);
        }
    }

    /**
     * @param r a record
     * @param component a component name
     * @param value its new value
     * @param <R> the record type
     * @return a copy of {@code r} with that component changed, validated by its constructor
     */
    static <R extends Record> R with(R r, String component, Object value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(component, value);
        return with(r, m);
    }

    /**
     * @param r a record
     * @param into receives the components in declaration order, enums by name
     */
    static void putComponents(Record r, Map<String, Object> into) {
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            Object v = get(r, c);
            into.put(c.getName(), v instanceof Enum<?> e ? e.name() : v);
        }
    }

    /**
     * @param r a record
     * @param name a component name
     * @return whether {@code r} has that component
     */
    static boolean hasComponent(Record r, String name) {
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            if (c.getName().equals(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Converts a plain value (as JSON or a properties file gives it) to a component's type.
     *
     * @param r the record
     * @param name the component name
     * @param v a number, boolean or string
     * @return the value as the component's (boxed) type
     * @throws BadInputException naming the component when the value does not fit the type
     */
    static Object convert(Record r, String name, Object v) {
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            if (c.getName().equals(name)) {
                return convert(c.getType(), name, v);
            }
        }
        throw new IllegalArgumentException(r.getClass().getSimpleName() + " has no component " + name);
    }

    /**
     * @param t the target type: int, long, double, boolean, String or an enum
     * @param name the field's name, for the error message
     * @param v a number, boolean or string
     * @return the value as {@code t} (boxed)
     * @throws BadInputException naming the field when the value does not fit the type
     */
    static Object convert(Class<?> t, String name, Object v) {
        try {
            if (t == int.class) {
                return Math.toIntExact(integral(v));
            }
            if (t == long.class) {
                return integral(v);
            }
            if (t == double.class) {
                return v instanceof Number n ? n.doubleValue() : Double.parseDouble(text(v));
            }
            if (t == boolean.class) {
                if (v instanceof Boolean b) {
                    return b;
                }
                String s = text(v);
                if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
                    return Boolean.parseBoolean(s);
                }
                throw new IllegalArgumentException();
            }
            if (t == String.class) {
                return text(v);
            }
            if (t.isEnum()) {
                for (Object e : t.getEnumConstants()) {
                    if (((Enum<?>) e).name().equals(text(v))) {
                        return e;
                    }
                }
                throw new IllegalArgumentException();
            }
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new BadInputException("profile model config: " + name + " must be " + typeName(t) + ", was " + v);
        }
        throw new IllegalStateException("unsupported component type " + t + " of " + name);
    }

    private static long integral(Object v) {
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof Number n) {
            double d = n.doubleValue();
            if (d != Math.rint(d) || Double.isInfinite(d) || Math.abs(d) > 0x1p53) {
                throw new IllegalArgumentException();
            }
            return (long) d;
        }
        return Long.parseLong(text(v));
    }

    private static String text(Object v) {
        if (v == null || v instanceof Number || v instanceof Boolean) {
            throw new IllegalArgumentException();
        }
        return v.toString().trim();
    }

    private static String typeName(Class<?> t) {
        if (t == int.class || t == long.class) {
            return "an integer";
        }
        if (t == double.class) {
            return "a number";
        }
        if (t == boolean.class) {
            return "true or false";
        }
        if (t.isEnum()) {
            StringBuilder b = new StringBuilder("one of");
            for (Object e : t.getEnumConstants()) {
                b.append(' ').append(((Enum<?>) e).name());
            }
            return b.toString();
        }
        return "a string";
    }

    private static Object get(Record r, RecordComponent c) {
        try {
            return c.getAccessor().invoke(r);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + c.getName() + " of " + r.getClass().getSimpleName(), e);
        }
    }
}
