package org.persona4j.models.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.ProfileModel;
import org.persona4j.models.profile.DeepProfileModel;
import org.persona4j.testkit.ProfileModelContract;
import org.persona4j.testkit.TestSeeds;

/** The trained deep profile model, served from its saved artifact, keeps the {@link ProfileModel} contract. */
class DeepProfileModelContractTest extends ProfileModelContract {
    private static TinyData data;
    private static Path artifact;

    @BeforeAll
    static void train() throws IOException {
        data = new TinyData(TestSeeds.seed("DeepProfileModelContractTest", 20261206L), 30, 12);
        artifact = Files.createTempFile("contract-model", ".zip");
        try (DeepProfileModel m = new ProfileTrainer(TinyData.smallConfig().build()).fit(data.events, data.catalog)) {
            m.save(artifact);
        }
    }

    @AfterAll
    static void clean() throws IOException {
        Files.deleteIfExists(artifact);
    }

    @Override
    protected ProfileModel createModel() throws IOException {
        return DeepProfileModel.load(artifact);
    }

    @Override
    protected Map<String, List<BehaviorEvent>> histories() {
        Map<String, List<BehaviorEvent>> all = data.events.stream()
                .collect(Collectors.groupingBy(BehaviorEvent::userId, LinkedHashMap::new, Collectors.toList()));
        Map<String, List<BehaviorEvent>> some = new LinkedHashMap<>();
        for (Map.Entry<String, List<BehaviorEvent>> e : all.entrySet()) {
            if (e.getValue().size() >= 3 && some.size() < 4) {
                some.put(e.getKey(), e.getValue());
            }
        }
        return some;
    }
}
