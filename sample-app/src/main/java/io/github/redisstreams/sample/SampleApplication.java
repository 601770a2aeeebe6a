package io.github.redisstreams.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A minimal order-processing application: {@link OrderPublisher} publishes orders to the
 * stream {@code orders}, {@link OrderListener} processes them.
 */
@SpringBootApplication
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
