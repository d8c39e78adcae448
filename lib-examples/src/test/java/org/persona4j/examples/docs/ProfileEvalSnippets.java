package org.persona4j.examples.docs;

import org.persona4j.core.ProfileModel;
import org.persona4j.eval.profile.ProfileEvalConfig;
import org.persona4j.eval.profile.ProfileEvalReport;
import org.persona4j.eval.profile.ProfileEvaluator;
import org.persona4j.io.Dataset;

/** docs/profile-eval.md's code, compiled. */
final class ProfileEvalSnippets {
    private ProfileEvalSnippets() {
    }

    static void example(Dataset dataset, ProfileModel model) {
        // snippet:start profile-eval
        ProfileEvalReport r = new ProfileEvaluator(ProfileEvalConfig.defaults())      // H 7 d, N 30 d, leaf, k 3, 10 bins, seed 42
                .evaluate("shop", dataset.events(), dataset.catalog(), model, "deep"); // model: any ProfileModel, or null
        System.out.print(r.toTable());   // r.toJson(), r.toHtml()
        // snippet:end
    }
}
