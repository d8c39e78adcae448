package org.persona4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.persona4j.models.profile.DeepProfileModel;
import org.persona4j.models.train.ProfileArtifacts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code persona4j upgrade-model}: converts a format-1 model artifact (DL4J weights) into the
 * current format, which serving loads without DL4J.
 */
@Command(name = "upgrade-model", mixinStandardHelpOptions = true,
        description = "Convert a format-1 model artifact (DL4J weights) to the current format, served without DL4J.")
public final class UpgradeModelCommand implements CliCommand {
    @Spec
    CommandSpec spec;

    @Option(names = "--in", required = true, description = "the format-1 artifact")
    Path in;

    @Option(names = "--out", required = true, description = "the new artifact (written atomically)")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(in)) {
            throw new org.persona4j.core.BadInputException("--in " + in + ": no such file");
        }
        ProfileArtifacts.upgrade(in, out);
        try (DeepProfileModel m = DeepProfileModel.load(out)) {
            spec.commandLine().getOut().printf("saved %s (%,d bytes, model version %s)%n", out, Files.size(out), m.version());
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
