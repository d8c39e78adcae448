package org.persona4j.spring.boot;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.persona4j.spring.boot.shop.ShopApplication;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** A bad configuration stops a real Spring Boot start with Boot's failure report naming the property and the fix. */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureReportTest {
    @Test
    void missingDataSettingIsReportedByBoot(CapturedOutput output) {
        SpringApplication app = new SpringApplication(ShopApplication.class);
        app.setDefaultProperties(Map.of("spring.main.banner-mode", "off", "persona4j.recommender", "popularity"));
        RuntimeException e = assertThrows(RuntimeException.class, app::run);
        assertTrue(e.getMessage().contains("persona4j.data.path: required, was not set"), e.getMessage());
        String out = output.toString();
        assertTrue(out.contains("APPLICATION FAILED TO START"), out);
        assertTrue(out.contains("persona4j.data.path: required, was not set: recommender 'popularity' and fallback 'popularity'"), out);
        assertTrue(out.contains("Action:"), out);
        assertTrue(out.contains("set persona4j.data.path to an events file or its folder"), out);
    }
}
