package org.persona4j.privacy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import org.persona4j.core.BadInputException;

/**
 * Resolves file names taken from configuration against a base directory so that they cannot
 * escape it: absolute paths, {@code ..} elements, NUL characters and symbolic links that lead
 * outside the base are refused with a {@link BadInputException} naming the configured value.
 *
 * <p>Checks are made at resolution time; a host that lets untrusted parties create symbolic links
 * inside the base directory after that must also guard the directory itself (permissions).
 */
public final class SafePaths {
    private SafePaths() {
    }

    /**
     * @param baseDir the directory everything must stay in; it must exist
     * @param configured a relative path from configuration ("profiles", "tenant-a/profiles")
     * @param field the configuration key, for error messages ("store.path")
     * @return the resolved path, absolute, under the real path of {@code baseDir}
     * @throws BadInputException when the value is blank, absolute, contains {@code ..} or NUL, or
     *     resolves (through symbolic links) outside {@code baseDir}, or the base does not exist
     */
    public static Path resolveUnder(Path baseDir, String configured, String field) {
        String f = field == null ? "path" : field;
        if (baseDir == null) {
            throw new BadInputException("field '" + f + "': base directory required, was null");
        }
        if (configured == null || configured.isBlank()) {
            throw new BadInputException("field '" + f + "': expected a relative path, was " + (configured == null ? "null" : "blank"));
        }
        if (configured.indexOf('\0') >= 0) {
            throw new BadInputException("field '" + f + "': NUL character in path");
        }
        Path rel;
        try {
            rel = Path.of(configured);
        } catch (InvalidPathException e) {
            throw new BadInputException("field '" + f + "': not a valid path: \"" + configured + "\" (" + e.getReason() + ")");
        }
        if (rel.isAbsolute() || rel.getRoot() != null || configured.startsWith("/") || configured.startsWith("\\")) {
            throw new BadInputException("field '" + f + "': expected a path relative to " + baseDir + ", got the absolute path \""
                    + configured + "\"");
        }
        for (Path part : rel) {
            if (part.toString().equals("..")) {
                throw new BadInputException("field '" + f + "': '..' is not allowed in \"" + configured
                        + "\" (paths must stay inside " + baseDir + ")");
            }
        }
        Path base;
        try {
            base = baseDir.toRealPath();
        } catch (IOException e) {
            throw new BadInputException("field '" + f + "': base directory " + baseDir + " does not exist or cannot be read");
        }
        if (!Files.isDirectory(base)) {
            throw new BadInputException("field '" + f + "': base " + baseDir + " is not a directory");
        }
        Path resolved = base.resolve(rel).normalize();
        if (!resolved.startsWith(base)) {
            throw new BadInputException("field '" + f + "': \"" + configured + "\" resolves outside " + base);
        }
        // follow symbolic links on the deepest existing ancestor (or the path itself)
        Path existing = resolved;
        while (existing != null && !Files.exists(existing)) {
            if (Files.isSymbolicLink(existing)) {
                // a dangling link: refuse, its target could be created outside later
                throw new BadInputException("field '" + f + "': \"" + configured + "\" passes through a dangling symbolic link " + existing);
            }
            existing = existing.getParent();
        }
        if (existing != null) {
            try {
                Path real = existing.toRealPath();
                if (!real.startsWith(base)) {
                    throw new BadInputException("field '" + f + "': \"" + configured + "\" leads outside " + base
                            + " through a symbolic link (" + existing + " -> " + real + ")");
                }
            } catch (IOException e) {
                throw new BadInputException("field '" + f + "': cannot resolve \"" + configured + "\": " + e.getMessage());
            }
        }
        return resolved;
    }
}
