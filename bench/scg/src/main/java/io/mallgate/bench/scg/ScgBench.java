package io.mallgate.bench.scg;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Spring Cloud Gateway, reactive (WebFlux on Reactor Netty), with the one route of application.yml: the peer that
 * bench/run.sh measures beside nginx and Mallgate. Everything else is Spring Boot's and the gateway's defaults.
 */
@SpringBootApplication
public class ScgBench {

  public static void main(String[] args) {
    SpringApplication.run(ScgBench.class, args);
  }
}
