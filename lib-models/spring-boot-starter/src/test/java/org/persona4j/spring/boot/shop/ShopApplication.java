package org.persona4j.spring.boot.shop;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The test application: the starter's auto-configuration plus {@link ShopService}, as in docs/integration.md. */
// snippet:start integration-spring-application (docs/integration.md shows this class)
@SpringBootApplication
public class ShopApplication {
    /** @param args command-line arguments */
    public static void main(String[] args) {
        SpringApplication.run(ShopApplication.class, args);
    }
}
// snippet:end
