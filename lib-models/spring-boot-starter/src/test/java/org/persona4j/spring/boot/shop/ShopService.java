package org.persona4j.spring.boot.shop;

import java.util.List;
import org.persona4j.core.BehaviorEvent;
import org.persona4j.core.EventType;
import org.persona4j.core.Recommendation;
import org.persona4j.spring.boot.PersonaRecommendations;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

/** A host service: publishes shopper actions as application events and asks for recommendations. */
// snippet:start integration-spring-service (docs/integration.md shows this class)
@Service
public class ShopService {
    private final ApplicationEventPublisher events;
    private final PersonaRecommendations recommendations;

    /**
     * @param events Spring's publisher; the starter's listener ingests every BehaviorEvent
     * @param recommendations the starter's timed facade over the engine
     */
    public ShopService(ApplicationEventPublisher events, PersonaRecommendations recommendations) {
        this.events = events;
        this.recommendations = recommendations;
    }

    /**
     * @param userId the shopper
     * @param sku the item put in the cart
     * @param price its unit price
     */
    public void addedToCart(String userId, String sku, double price) {
        events.publishEvent(BehaviorEvent.builder(userId, sku, EventType.ADD_TO_CART, System.currentTimeMillis())
                .price(price).quantity(1).build());
    }

    /**
     * @param userId the shopper
     * @return ten recommendations, best first, each with its reasons
     */
    public List<Recommendation> recommendationsFor(String userId) {
        return recommendations.forUser(userId, 10);
    }
}
// snippet:end
