package org.persona4j.examples.docs;

import java.nio.file.Path;
import org.persona4j.models.profile.DeepProfileModel;
import org.persona4j.models.profile.artifact.ArtifactKey;

/** docs/models.md's code, compiled. */
final class ModelsSnippets {
    private ModelsSnippets() {
    }

    static void upgrade() throws java.io.IOException {
        // snippet:start models-upgrade
        org.persona4j.models.train.ProfileArtifacts.upgrade(Path.of("old.zip"), Path.of("new.zip"));
        // snippet:end
    }

    static void signing(DeepProfileModel model) throws Exception {
        // snippet:start models-signing
        // given: model, a DeepProfileModel (trained, or loaded)
        ArtifactKey key = ArtifactKey.fromFile(Path.of("/etc/persona4j/model.key")); // >= 16 bytes; or ArtifactKey.of(bytes)
        model.save(Path.of("model.zip"), key);                                       // writes "signature" into manifest.json
        DeepProfileModel m = DeepProfileModel.load(Path.of("model.zip"), key);       // or load(file, schemaHash, features, key)
        // snippet:end
    }
}
