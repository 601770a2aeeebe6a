package io.github.redisstreams.sample;

/**
 * An order, published as JSON in the entry's {@code payload} field.
 *
 * @param id the order id
 * @param product the product
 * @param quantity how many
 */
public record Order(String id, String product, int quantity) {

}
