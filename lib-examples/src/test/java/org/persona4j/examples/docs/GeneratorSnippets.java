package org.persona4j.examples.docs;

import java.nio.file.Path;
import org.persona4j.synth.GenerationSummary;
import org.persona4j.synth.ShopConfig;
import org.persona4j.synth.ShopGenerator;
import org.persona4j.synth.SyntheticShop;

/** docs/generator.md's code, compiled. */
final class GeneratorSnippets {
    private GeneratorSnippets() {
    }

    static void generate() {
        // snippet:start generator-api
        ShopConfig config = ShopConfig.builder().users(8_800).items(20_000).seed(42).days(28).build();
        GenerationSummary summary = new ShopGenerator(config).writeTo(Path.of("shop"), progress -> { });
        SyntheticShop shop = new ShopGenerator(config.toBuilder().users(500).build()).generate(); // in memory, for tests
        // snippet:end
    }
}
