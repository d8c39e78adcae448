package org.persona4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.persona4j.core.BadInputException;

/** Up-front checks of file options, so that a command fails before it reads any data. */
final class Args {
    private Args() {
    }

    /**
     * @param option the option's name, e.g. {@code --model}
     * @param p the path given, or null when the option is absent (then nothing is checked)
     * @throws BadInputException when the path names no readable file or folder
     */
    static void requireExisting(String option, Path p) {
        if (p == null) {
            return;
        }
        if (!Files.exists(p)) {
            throw new BadInputException(option + ": file not found: " + p);
        }
        if (!Files.isReadable(p)) {
            throw new BadInputException(option + ": not readable: " + p);
        }
    }

    /**
     * @param option the option's name
     * @param p a path that must be a regular file, or null
     * @throws BadInputException when it is missing or a folder
     */
    static void requireFile(String option, Path p) {
        requireExisting(option, p);
        if (p != null && !Files.isRegularFile(p)) {
            throw new BadInputException(option + ": expected a file, was a folder: " + p);
        }
    }

    /**
     * @param model the {@code --model} path of a command that needs a model artifact
     * @throws BadInputException when it is not a regular file
     */
    static void requireModelArtifact(Path model) {
        if (!Files.isRegularFile(model)) {
            throw new BadInputException("--model " + model + ": no such file: expected a model artifact (.zip) written by `train`");
        }
    }
}
