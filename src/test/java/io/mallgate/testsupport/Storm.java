package io.mallgate.testsupport;

import static io.mallgate.testsupport.Await.result;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Many requests at once, spread round-robin over gateway instances. */
public final class Storm {

  private Storm() {
  }

  /** Fires {@code count} GETs of {@code uri} at once; returns how many got each status (-1: no answer). */
  public static Map<Integer, Integer> get(WebClient client, List<RunningGateway> instances, String uri, int count) {
    List<Future<HttpResponse<Buffer>>> calls = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      RunningGateway target = instances.get(i % instances.size());
      calls.add(client.get(target.port(), "127.0.0.1", uri).send());
    }
    result(Future.join(calls), 90);
    Map<Integer, Integer> statuses = new TreeMap<>();
    for (Future<HttpResponse<Buffer>> call : calls) {
      statuses.merge(call.succeeded() ? call.result().statusCode() : -1, 1, Integer::sum);
    }
    return statuses;
  }
}
